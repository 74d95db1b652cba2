"""Fewer product indexes: the same queries, less for a first import to build and for writes to maintain.

``category_id`` and ``brand_id`` lead ``b2b_product_cat_active`` and ``b2b_product_brand_name``,
which serve their foreign keys as well, so their own indexes go. SKU and barcode are matched by
equality and ranges only, so the ``varchar_pattern_ops`` copies ``db_index`` adds on PostgreSQL go;
the plain indexes get names of their own. Only indexes change, by name: Django's ``AlterField``
would copy the whole product table four times on SQLite and drop and re-check the foreign keys on
PostgreSQL.
"""

from django.db import migrations, models
from django.db.models import deletion

TABLE = "b2b_cabinet_product"
#: Indexes that ``db_index=True`` created under Django's generated names (``_like``: PostgreSQL only).
OLD = {"sku": "b2b_cabinet_product_sku_c8bb0f28", "barcode": "b2b_cabinet_product_barcode_d90db9f2"}
OLD_FOREIGN = {
    "category_id": "b2b_cabinet_product_category_id_1f15b5b3",
    "brand_id": "b2b_cabinet_product_brand_id_e7213643",
}
NEW = {"sku": "b2b_product_sku", "barcode": "b2b_product_barcode"}


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    statements = []
    for column, old in OLD.items():
        statements.append(f'CREATE INDEX IF NOT EXISTS "{NEW[column]}" ON "{TABLE}" ("{column}")')
        statements.append(f'DROP INDEX IF EXISTS "{old}"')
        if postgres:
            statements.append(f'DROP INDEX IF EXISTS "{old}_like"')
    statements += [f'DROP INDEX IF EXISTS "{name}"' for name in OLD_FOREIGN.values()]
    _run(schema_editor, statements)


def backwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    statements = []
    for column, old in OLD.items():
        statements.append(f'CREATE INDEX IF NOT EXISTS "{old}" ON "{TABLE}" ("{column}")')
        if postgres:
            statements.append(f'CREATE INDEX IF NOT EXISTS "{old}_like" ON "{TABLE}" ("{column}" varchar_pattern_ops)')
        statements.append(f'DROP INDEX IF EXISTS "{NEW[column]}"')
    statements += [f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" ("{column}")'
                   for column, name in OLD_FOREIGN.items()]
    _run(schema_editor, statements)


class Migration(migrations.Migration):

    dependencies = [
        ("b2b_cabinet", "0010_import_fillfactor"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(
                    model_name="product",
                    name="barcode",
                    field=models.CharField(blank=True, max_length=64, verbose_name="barcode"),
                ),
                migrations.AlterField(
                    model_name="product",
                    name="brand",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True, on_delete=deletion.SET_NULL, related_name="products",
                        to="b2b_cabinet.brand", verbose_name="brand",
                    ),
                ),
                migrations.AlterField(
                    model_name="product",
                    name="category",
                    field=models.ForeignKey(
                        blank=True, db_index=False, null=True, on_delete=deletion.SET_NULL, related_name="products",
                        to="b2b_cabinet.category", verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="product",
                    name="sku",
                    field=models.CharField(blank=True, max_length=100, verbose_name="SKU (артикул)"),
                ),
                migrations.AddIndex(
                    model_name="product",
                    index=models.Index(fields=["sku"], name="b2b_product_sku"),
                ),
                migrations.AddIndex(
                    model_name="product",
                    index=models.Index(fields=["barcode"], name="b2b_product_barcode"),
                ),
            ],
        ),
    ]
