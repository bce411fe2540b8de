from import_export import fields, resources


def column(attribute: str, name: str) -> fields.Field:
    """An export column: ``attribute`` may cross relations (park__code) or name a method."""
    return fields.Field(attribute=attribute, column_name=name, readonly=True)


class ExportResource(resources.Resource):
    """A column list for exports (and the admin's export button). Imports have their own, stricter path."""

    class Meta:
        fields: tuple = ()
