"""Model metadata read the same way everywhere: a field by name, its label."""

from django.db.models import Field, Model


def model_field(model: type[Model], name: str) -> Field:
    """The model's field ``name`` (``_meta.get_field`` may also answer with a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a field")
    return field


def field_label(model: type[Model], name: str) -> str:
    """The field's verbose name, as people read it in forms and tables."""
    return str(model_field(model, name).verbose_name)
