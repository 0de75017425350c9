"""The annual report's core runs without Django, like the rest of the form core."""

import subprocess
import sys


def test_the_annual_report_core_imports_no_django():
    code = (
        "import sys\n"
        "import clusterdesk.form.annual.consistency, clusterdesk.form.annual.example\n"
        "import clusterdesk.form.annual.metrics, clusterdesk.form.registry\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
