"""URLs of the revocation app."""

app_name = "revocation"

urlpatterns: list = []
