"""The form core, the documents and the command line run without Django."""

import subprocess
import sys


def test_core_documents_and_cli_import_no_django():
    code = (
        "import sys\n"
        "import clusterdesk.form.validation, clusterdesk.form.criteria, clusterdesk.form.example\n"
        "import clusterdesk.documents.attachment2_render, clusterdesk.documents.attachment2_parse\n"
        "import clusterdesk.documents.package, clusterdesk.cli.main\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
