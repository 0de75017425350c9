"""The ``clusterdesk`` command line: works on JSON files, needs no database."""
