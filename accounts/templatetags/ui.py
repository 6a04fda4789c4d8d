"""Small presentation helpers shared by all templates."""

from django import forms, template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def bs(bound_field, extra_class: str = ""):
    """Render a bound field with Bootstrap classes and accessible error attributes."""
    widget = bound_field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{css} {extra_class}".strip()}
    if bound_field.errors:
        attrs["class"] += " is-invalid"
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
    elif bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def num(value):
    """A whole number with a space between thousands, or «—» when empty."""
    if value is None or value == "":
        return "—"
    return number_format(value, force_grouping=True)


@register.filter
def pct(value, digits: int = 1):
    """A percentage with a decimal comma: 83.17 → «83,2%»."""
    if value is None:
        return "—"
    return f"{number_format(round(float(value), digits), digits)}%"


@register.filter
def sort_headers(spec: str):
    """«key:Label|key2:Label 2» → [(key, label), …] for sortable table headers."""
    return [tuple(item.split(":", 1)) for item in spec.split("|")]
