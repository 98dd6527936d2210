package com.commdesk.ledger;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertOnDuplicateStep;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.TableField;
import org.jooq.impl.DSL;

/**
 * Many rows of one table as a single {@code INSERT ... SELECT ... FROM unnest(array, array, ...)}:
 * one array bind value per column, whatever the number of rows.
 *
 * <p>Why not a multi-row {@code VALUES} list: its SQL text changes with the row count, so the server
 * parses and plans every batch again, jOOQ renders one bind value per cell (~80 % of the load
 * generator's CPU in a profile of the group-commit benchmark), and PostgreSQL's 65,535 bind values
 * cap the batch. Here the text depends only on the columns, so the JDBC driver prepares it once per
 * connection. Rows keep the order they were added in ({@code WITH ORDINALITY}), which matters where
 * the order is a lock order. {@link #source()} offers the same rows to a SELECT or UPDATE.
 */
final class ColumnarInsert<R extends Record> {
    /** Rows per statement: bounds the memory of one statement, not a PostgreSQL limit. */
    static final int MAX_ROWS = 1_000_000;

    private final Table<R> table;
    private final List<TableField<R, ?>> fields;
    private final List<List<Object>> columns = new ArrayList<>();
    private int rows;

    @SafeVarargs
    ColumnarInsert(Table<R> table, TableField<R, ?>... fields) {
        if (fields.length == 0) throw new IllegalArgumentException("no columns");
        this.table = table;
        this.fields = List.of(fields);
        for (int i = 0; i < fields.length; i++) columns.add(new ArrayList<>());
    }

    /** Adds one row: one value per column, in the order the columns were given. */
    ColumnarInsert<R> row(Object... values) {
        if (values.length != fields.size()) {
            throw new IllegalArgumentException(table.getName() + ": " + values.length + " values for " + fields.size() + " columns");
        }
        if (rows == MAX_ROWS) throw new IllegalStateException(table.getName() + ": more than " + MAX_ROWS + " rows in one statement");
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v != null && !fields.get(i).getType().isInstance(v)) {
                throw new IllegalArgumentException(table.getName() + "." + fields.get(i).getName() + ": " + v.getClass().getSimpleName()
                        + " is not a " + fields.get(i).getType().getSimpleName());
            }
            columns.get(i).add(v);
        }
        rows++;
        return this;
    }

    int size() {
        return rows;
    }

    /** The INSERT, to execute as it is or to extend with ON CONFLICT / RETURNING. */
    InsertOnDuplicateStep<R> insert(DSLContext tx) {
        return tx.insertInto(table, fields).select(DSL.select(columns()).from(source()).orderBy(ordinality()));
    }

    /** The rows as a table {@code r(c0, c1, ..., ordinality)}, to join in a SELECT or UPDATE. */
    Table<?> source() {
        if (rows == 0) throw new IllegalStateException(table.getName() + ": no rows");
        List<Field<?>> arrays = new ArrayList<>(fields.size());
        StringBuilder template = new StringBuilder("unnest(");
        String[] names = new String[fields.size() + 1];
        for (int i = 0; i < fields.size(); i++) {
            arrays.add(array(fields.get(i), columns.get(i)));
            template.append(i == 0 ? "" : ", ").append('{').append(i).append('}');
            names[i] = "c" + i;
        }
        names[fields.size()] = "ordinality";
        return DSL.table(template.append(") with ordinality").toString(), arrays.toArray()).as("r", names);
    }

    /** The column of {@link #source()} that holds the values for {@code field}. */
    <T> Field<T> column(TableField<R, T> field) {
        return column("r", field);
    }

    /** All columns of {@link #source()}, in the order given (without the ordinality). */
    List<Field<?>> columns() {
        List<Field<?>> all = new ArrayList<>(fields.size());
        for (TableField<R, ?> f : fields) all.add(column(f));
        return all;
    }

    /** The column for {@code field} in a derived table or CTE named {@code alias} that selected {@link #columns()}. */
    <T> Field<T> column(String alias, TableField<R, T> field) {
        int i = fields.indexOf(field);
        if (i < 0) throw new IllegalArgumentException(field.getName() + " is not a column of this insert");
        return DSL.field(DSL.name(alias, "c" + i), field.getDataType());
    }

    /** The position of a row of {@link #source()}, from 1, in the order the rows were added. */
    Field<Long> ordinality() {
        return DSL.field(DSL.name("r", "ordinality"), Long.class);
    }

    private static <T> Field<T[]> array(TableField<?, T> field, List<Object> values) {
        @SuppressWarnings("unchecked")
        T[] array = (T[]) Array.newInstance(field.getType(), values.size());
        for (int i = 0; i < array.length; i++) array[i] = field.getType().cast(values.get(i));
        return DSL.val(array, field.getDataType().array());
    }
}
