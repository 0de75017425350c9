"""``python -m clusterdesk.loadtest`` (``make loadtest``)."""

import sys

from clusterdesk.loadtest.run import main

sys.exit(main())
