"""答辩与走访 under /hearings/."""

app_name = "hearings"

urlpatterns: list = []
