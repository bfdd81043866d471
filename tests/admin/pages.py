"""Addresses of the member admin's pages, and its ModelAdmin, for the admin tests."""

from django.contrib import admin
from django.urls import reverse

from registry.models import Member

CHANGELIST = reverse("admin:registry_member_changelist")


def change_url(member):
    return reverse("admin:registry_member_change", args=[member.pk])


def review_url(member, decision):
    return reverse("admin:registry_member_review", args=[member.pk, decision])


def member_admin():
    return admin.site._registry[Member]
