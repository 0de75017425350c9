"""URLs of evidence uploads."""

urlpatterns: list = []
