"""URLs of the recheck app."""

app_name = "recheck"

urlpatterns: list = []
