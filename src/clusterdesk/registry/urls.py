"""认定与推荐 under /registry/."""

app_name = "registry"

urlpatterns: list = []
