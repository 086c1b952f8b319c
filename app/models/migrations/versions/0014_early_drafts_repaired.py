"""files written by early drafts of the migrations are given what those drafts did not create

0001 was edited four times after files had been written with it: such a file went on through 0002…0013 and
is stamped at a revision whose schema it does not have (no fiscal_period, no import_mapping, no
import_batch.undo, no allocation.import_batch_id…), and every command fails once the code reads what is
missing. This revision compares the file with the schema that the landed migrations 0001…0013 build, and
creates every table, column and index it lacks, with the value existing rows need; on PostgreSQL it also
widens the columns an early draft made narrower (amounts in INTEGER, shorter texts). A file written by the
landed migrations has nothing to repair: the comparison of names below finds nothing missing and the
reference schema is never built. (0004 was edited too, but a file written by its drafts stops at 0006, which
drops an index those drafts did not create: it never reaches this revision, and its backup copy is intact.)

Revision ID: 0014
Revises: 0013
"""
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from alembic.migration import MigrationContext
from alembic.operations import Operations

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

REFERENCE_REVISION = '0013'
VERSIONS = Path(__file__).resolve().parent

# The tables, columns and indexes at 0013, by name: a test checks them against a file migrated to 0013.
COLUMNS = {
    'activity': 'customer_id kind happened_at text promised_on promised_cents id',
    'allocation': 'invoice_id payment_id credit_note_id allocated_on amount_cents import_batch_id id',
    'bank_balance': 'account stated_on amount_cents import_batch_id id',
    'bank_line': 'account booked_on value_on amount_cents label counterparty iban reference payment_id '
                 'import_batch_id source_line row_hash id',
    'company': 'name siren vat_number iban bic logo_path penalty_clause tolerance_cents id address postcode city '
               'email phone terms_kind terms_days dso_target_days margin_rate_bp alert_delay_growth_days '
               'alert_concentration_pct alert_prescription_days insurer_declaration_days alert_cover_expiry_days '
               'stock_cents supplier_payables_cents yearly_purchases_cents version',
    'customer': 'code name siren vat_number contact_name segment naf_code credit_limit_cents external_rating '
                'salesperson notes created_on import_batch_id id address postcode city email phone terms_kind '
                'terms_days dunning_plan dunning_hold_until dunning_hold_reason version',
    'dispute': 'invoice_id reason assignee note opened_on closed_on resolution id',
    'dunning_letter': 'customer_id step sent_on lines amount_due_cents penalties_cents indemnities_cents rate_used '
                      'registered_mail_number id outside',
    'event': 'at user kind customer_id invoice_id payment_id amount_cents text id',
    'fiscal_period': 'start end sales_cents purchases_cents stocks_cents suppliers_cents import_batch_id id',
    'guarantee': 'customer_id kind guarantor amount_cents percentage grade valid_from valid_to id',
    'import_batch': 'file_name file_hash kind imported_at created_count updated_count skipped_count rejected_count '
                    'undo id',
    'import_mapping': 'name signature columns created_at id',
    'interest_rate': 'half_year ecb_bp legal_other_bp legal_private_bp source id',
    'invoice': 'number kind customer_id issue_date due_date net_cents vat_cents total_cents status import_batch_id '
               'source_line row_hash id settled_cents settled_on paid_on version',
    'payment': 'customer_id received_on amount_cents method reference payer_iban import_batch_id source_line '
               'row_hash id settled_cents settled_on version',
    'preference': 'key value id version',
}
INDEXES = {
    'activity': 'ix_activity_customer_id',
    'allocation': 'ix_allocation_allocated_on ix_allocation_credit_note_id ix_allocation_import_batch_id '
                  'ix_allocation_invoice_id ix_allocation_payment_id',
    'bank_line': 'ix_bank_line_booked_on ix_bank_line_import_batch_id ix_bank_line_payment_id ix_bank_line_row_hash',
    'customer': 'ix_customer_name ix_customer_siren uq_customer_code',
    'dispute': 'ix_dispute_invoice_id',
    'dunning_letter': 'ix_dunning_letter_customer_id',
    'event': 'ix_event_customer ix_event_invoice_id ix_event_payment_id',
    'guarantee': 'ix_guarantee_customer_id',
    'import_batch': 'ix_import_batch_file_hash',
    'import_mapping': 'ix_import_mapping_signature',
    'invoice': 'ix_invoice_customer ix_invoice_issued ix_invoice_open ix_invoice_paid_on ix_invoice_written_off',
    'payment': 'ix_payment_customer_id ix_payment_open ix_payment_received ix_payment_row_hash ix_payment_settled_on',
}
# What an existing row holds in a required column an early draft did not create (the model's default).
FILLS = {('import_batch', 'undo'): '[]'}
# The texts early drafts made narrower, at their width in 0013 (every amount, *_cents, is a BIGINT there).
WIDTHS = {('company', 'postcode'): 20, ('customer', 'code'): 60, ('customer', 'postcode'): 20,
          ('invoice', 'number'): 100}


def upgrade() -> None:
    conn = op.get_bind()
    inspector = sa.inspect(conn)
    if not _lacking(inspector) and (conn.dialect.name == 'sqlite' or not _narrower(inspector)):
        return
    reference = _schema_at_reference()
    present = set(inspector.get_table_names())
    copies = sa.MetaData()
    for table in reference.sorted_tables:
        _portable(table.to_metadata(copies))
    copies.create_all(conn, tables=[copies.tables[name] for name in COLUMNS if name not in present])
    for name in COLUMNS:
        if name in present:
            _complete(conn, inspector, copies.tables[name])


def _lacking(inspector) -> bool:
    """Whether the file lacks a table, a column or an index of 0013, by name: cheap enough for every upgrade."""
    tables = set(inspector.get_table_names())
    for table, columns in COLUMNS.items():
        if table not in tables:
            return True
        if set(columns.split()) - {column['name'] for column in inspector.get_columns(table)}:
            return True
        if set(INDEXES.get(table, '').split()) - {index['name'] for index in inspector.get_indexes(table)}:
            return True
    return False


def _narrower(inspector) -> bool:
    """Whether a server's file holds an amount in INTEGER or a text narrower than 0013 makes it, as the early
    drafts did (SQLite bounds neither: its files need no widening)."""
    for table in COLUMNS:
        for column in inspector.get_columns(table):
            kind, width = column['type'], WIDTHS.get((table, column['name']))
            if column['name'].endswith('_cents') and not isinstance(kind, sa.BigInteger):
                return True
            if width is not None and kind.length is not None and kind.length < width:
                return True
    return False


def _schema_at_reference() -> sa.MetaData:
    """The schema the landed migrations 0001…0013 build, run into an empty in-memory SQLite and read back.
    Their modules are loaded afresh and given their own ``op``, so that the upgrade running this revision keeps
    its own."""
    engine = sa.create_engine('sqlite://')
    with engine.begin() as conn:
        operations = Operations(MigrationContext.configure(conn))
        for path in sorted(VERSIONS.glob('[0-9][0-9][0-9][0-9]_*.py')):
            if path.name[:4] > REFERENCE_REVISION:
                break
            spec = importlib.util.spec_from_file_location(f'encours_reference_{path.stem}', path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            module.op = operations
            module.upgrade()
    reference = sa.MetaData()
    reference.reflect(engine)
    engine.dispose()
    return reference


def _portable(table: sa.Table) -> None:
    """SQLite's reflected types (DATETIME…) and partial indexes, made such that any database creates them."""
    for column in table.columns:
        column.type = column.type.as_generic()
    for index in table.indexes:
        where = index.dialect_options['sqlite']['where']
        if where is not None:
            index.dialect_options['postgresql']['where'] = where


def _complete(conn, inspector, table: sa.Table) -> None:
    """The columns and indexes an existing table lacks, added; on a server, its narrower columns widened."""
    have = {column['name']: column for column in inspector.get_columns(table.name)}
    # in batch: SQLite adds a column with a foreign key only by rebuilding its table (foreign keys are off then)
    with op.batch_alter_table(table.name) as batch:
        for column in table.columns:
            if column.name in have:
                _widen(batch, conn.dialect.name, column, have[column.name]['type'])
                continue
            fill = None
            if not column.nullable and column.server_default is None:
                fill = sa.text(repr(FILLS[(table.name, column.name)]))
            references = [sa.ForeignKey(key.target_fullname, ondelete=key.ondelete) for key in column.foreign_keys]
            batch.add_column(sa.Column(column.name, column.type, *references, nullable=column.nullable,
                                       server_default=fill if fill is not None else column.server_default))
    indexes = {index['name'] for index in inspector.get_indexes(table.name)}
    indexes |= {constraint['name'] for constraint in inspector.get_unique_constraints(table.name)}
    for index in table.indexes:
        if index.name not in indexes:
            index.create(conn)


def _widen(batch, dialect: str, column: sa.Column, have: sa.types.TypeEngine) -> None:
    """An early draft's INTEGER amount or shorter text, widened; SQLite neither bounds texts nor integers."""
    if dialect == 'sqlite':
        return
    wider = (isinstance(column.type, sa.BigInteger) and not isinstance(have, sa.BigInteger)) or (
        isinstance(column.type, sa.String) and isinstance(have, sa.String) and have.length is not None
        and (column.type.length is None or column.type.length > have.length))
    if wider:
        batch.alter_column(column.name, type_=column.type, existing_type=have, existing_nullable=column.nullable)


def downgrade() -> None:
    """Nothing to undo: what this revision created is what 0001…0013 create."""
