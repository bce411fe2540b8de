import itertools

from import_export import fields, resources

_order = itertools.count()


def column(attribute: str, name: str) -> fields.Field:
    """An export column: ``attribute`` may cross relations (park__code) or name a method."""
    field = fields.Field(attribute=attribute, column_name=name, readonly=True)
    field.portal_order = next(_order)
    return field


class ExportResource(resources.ModelResource):
    """A column list for exports (the pages' and the admin's export button): only the columns declared
    with ``column()``, in their order, with Chinese headers. Imports have their own, stricter path
    (core.imports)."""

    def get_export_fields(self, selected_fields=None):
        declared = sorted(
            (field for field in self.fields.values() if hasattr(field, "portal_order")), key=lambda f: f.portal_order
        )
        if selected_fields:
            declared = [f for f in declared if f.column_name in selected_fields or f.attribute in selected_fields]
        return declared

    def get_user_visible_fields(self):
        return self.get_export_fields()
