"""Compare the row counts of every table of two PostgreSQL databases (a backup check).

    python scripts/compare_row_counts.py postgres://…/original postgres://…/restored

Exits with 1 and lists the differences when a table is missing or has another number of rows.
"""

import sys

import psycopg2
from psycopg2 import sql


def row_counts(url: str) -> dict[str, int]:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') "
            "ORDER BY 1, 2"
        )
        tables = cursor.fetchall()
        counts = {}
        for schema, table in tables:
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
            )
            counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    original, restored = row_counts(argv[1]), row_counts(argv[2])
    differences = [
        f"{table}: {original.get(table, 'нет таблицы')} → {restored.get(table, 'нет таблицы')}"
        for table in sorted(set(original) | set(restored))
        if original.get(table) != restored.get(table)
    ]
    if differences:
        print("Восстановленная копия отличается от исходной базы:", *differences, sep="\n  ")
        return 1
    print(f"Таблиц: {len(original)}, строк: {sum(original.values())} — совпадает.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
