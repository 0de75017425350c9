"""专家评审 under /review/."""

app_name = "review"

urlpatterns: list = []
