"""Demo members for `manage.py seed_demo`, the tests and the benchmarks.

* seed: demo_members_seed(), the entry point
* generator: draws members, each a mapping from field name to column value
* names, vocabulary: the people, places and working lives drawn from
* postgres, portable: how each database takes the rows (chosen in seed)
"""
