"""Reviewers' remarks beside the fields: ``{{ field_comments|comments_for:row.name }}``."""

from django import template

register = template.Library()


@register.filter
def comments_for(mapping, key):
    if not mapping:
        return []
    return mapping.get(key, [])
