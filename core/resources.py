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

    def portal_names(self) -> list[str]:
        columns = [(field.portal_order, name) for name, field in self.fields.items() if hasattr(field, "portal_order")]
        return [name for _order, name in sorted(columns)]

    def get_export_order(self):
        return tuple(self.portal_names())

    def get_export_fields(self, selected_fields=None):
        names = self.portal_names()
        if selected_fields:
            names = [name for name in names if name in selected_fields]
        return [self.fields[name] for name in names]

    def get_user_visible_fields(self):
        return self.get_export_fields()


class LedgerResource(ExportResource):
    """The export columns of a ``core.columns.Columns`` declaration (``columns``), read from it each time a
    resource is made: the pages' exports, the worker's large export and the admin's button."""

    columns = None  # a core.columns.Columns

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields = {}
        for spec in self.columns.export():
            self.fields[spec.name] = column(spec.source, spec.label)
        #: The columns written only for those who may see who someone is (see core.exports.Sheet).
        self.IDENTITY = tuple(spec.source for spec in self.columns.export() if spec.identity)

    def portal_names(self) -> list[str]:
        return list(self.fields)


def resource_for(name: str, columns, model) -> type:
    """A ``LedgerResource`` class called ``name`` (the admin's export form names its fields after it)."""
    meta = type("Meta", (), {"model": model})
    return type(name, (LedgerResource,), {"columns": columns, "Meta": meta})
