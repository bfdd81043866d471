"""Every read that spans relations goes through a function in this package.

All staff reads start from members_visible_to(user), so that limiting an
account to the countries of its Mission later is a change in one place.
"""
