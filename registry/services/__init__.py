"""Every write to the registry goes through a function in this package.

Functions are keyword-only, named <entity>_<action>, and atomic. Modules:

* members: create and update members, keep their derived data current
* clusters: compute and store expertise-cluster membership
* bulk: fast bulk insertion for demo data and imports
* registration: the public side: register, confirm the address, update or
  withdraw a profile through signed links
* pending: survey submissions waiting for their address to be confirmed
"""
