"""``make loadtest``: the last day of the declaration window, measured (issue 13).

Every county unit's officers autosave their application and upload evidence, the city browses
its desk and exports, and a bare logged-in view (``bench_urls.bare``) is measured beside them on
the same server in the same run. Then every save that was answered as applied is looked up in
the database: none may be lost.

* ``world``: the database side (seeding the units, officers and drafts; checking the saves).
* ``locustfile``: the simulated people (locust, in a process of its own: gevent patches the
  standard library, which the Django process must not share).
* ``figures``: the table and the verdict, pure.
* ``run``: the command (a fresh PostgreSQL database, ``manage.py serve``, the locust phases).
"""
