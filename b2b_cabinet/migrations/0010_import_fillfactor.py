from django.db import migrations

# PostgreSQL only. A prices-and-stock upload rewrites every price, stock line and offer state in one
# transaction. With room left on each page, the new version of a row lands on the same page and no
# index changes (a HOT update: no indexed column changes); on full pages every update adds an entry
# to each index of the table. Updated rows stay visible until the import commits, so the room must
# hold a second version of every row: half of each page. Rows written from now on follow it; run
# VACUUM FULL on the three tables once to repack the rows already there.
TABLES = ("b2b_cabinet_price", "b2b_cabinet_stocklevel", "b2b_cabinet_offerstate")


def _fillfactor(value):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for table in TABLES:
                schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {value})")

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("b2b_cabinet", "0009_product_search_index"),
    ]

    operations = [
        migrations.RunPython(_fillfactor(50), _fillfactor(100)),
    ]
