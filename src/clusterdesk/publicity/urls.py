"""会审与公示 under /publicity/."""

app_name = "publicity"

urlpatterns: list = []
