"""专家评分 under /scoring/."""

app_name = "scoring"

urlpatterns: list = []
