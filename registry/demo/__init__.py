"""Demo members for `manage.py seed_demo`, the tests and the benchmarks.

* seed: demo_members_seed(), the entry point (seed_demo calls one function
  per step: the Missions, the members)
* generator: draws members, each a mapping from field name to column value
* tables: the generator's look-up tables, built once from the vocabularies
* names, vocabulary, careers, organisations: the people, places, fields and
  working lives drawn from
* postgres, portable: how each database takes the rows (chosen in seed)
"""
