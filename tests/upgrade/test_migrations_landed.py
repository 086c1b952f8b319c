"""A migration that has landed is never edited: files exist that were written with it, and an edit reaches none
of them (0001 was edited four times, and the files written before each edit lacked what it added; see 0014).
A change of schema is a new migration. A new migration lands by adding its line below, on purpose."""

from __future__ import annotations

import hashlib

from app.models.db import MIGRATIONS

LANDED = {
    "0001_initial_schema.py": "dc5a9a1b4b32b01516e9442700a4a4034b47aa6e2e6aa04216695e443bd6a44d",
    "0002_invoice_row_hash_unindexed.py": "531e1dafac2debf3d657ef969c1669492e8a16530d75f516606b32289de0a8b1",
    "0003_cockpit_thresholds.py": "e5fa03c7a3aa56f2859dead9d48a7fa8871dad740c3edb8be38f779446861e25",
    "0004_settled_summaries.py": "a083296c7499a1606b9d918dcac5f6b5a5f8fa766797ee5f8db497846d76fe41",
    "0005_working_capital_by_hand.py": "3e99025b276816eef17532e86150eb75b6d82b3a2ab56bb58ab223666b60b5f2",
    "0006_cockpit_indexes.py": "e02f527890896ff7f3e6667c548cc984cc863a2b9fb10d342755272d914a9a29",
    "0007_interest_rates.py": "bb93756ecdd0e03ffd8ade3b5828559def180f80961692a0e328227a264df9f0",
    "0008_customer_dunning.py": "82d27a31c8c161117eb3172e13dbe6f189294241e5e48e056553dba97cde67b2",
    "0009_preferences.py": "e0fc68aee20d272f17f70cda465d004dfbe9a197dd47d12e82513a78bb59bac7",
    "0010_bank_statements.py": "2c15d768f7c0bfe839af55da9731087c318c459831043d668be84dcb300456d6",
    "0011_open_invoices_covering.py": "d9196b51d12e6d9cae156e8c9c025cdcd14b76f4a6d360a15cf3d484324859d9",
    "0012_settlement_history_versions.py": "925734a00fde668a594238e46c7caf718a9d94f329e548f42d1c833822553420",
    "0013_dunning_letter_outside.py": "bbe541b28299ce2be72781c9c3523f0fbd64fda63e99bd166c93127c1477c514",
    "0014_early_drafts_repaired.py": "d4779e676908b83a201d4f2b90a04932f62c56343d1e10484e2b13525fc85c5f",
    "0015_insolvency_proceedings.py": "ece971042b66cdbb04b02b1f9bd5217f40b07b459cb5427eb8391c0eec8a8567",
    "0016_reading_indexes.py": "d793611c306ac24e7671ca4e329ea376bb630048057a286a8a9c1fa5af188f2d",
}


def digest(name: str) -> str:
    """The file's sha256, its line ends as git stores them (a Windows checkout's CRLF is no edit)."""
    return hashlib.sha256((MIGRATIONS / "versions" / name).read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def test_no_landed_migration_is_edited_nor_removed():
    on_disk = {path.name for path in (MIGRATIONS / "versions").glob("*.py")}
    removed = sorted(set(LANDED) - on_disk)
    assert not removed, f"a landed migration was removed: {removed}; restore it, and add a new one to change the schema"
    edited = sorted(name for name in LANDED if digest(name) != LANDED[name])
    assert not edited, f"a landed migration was edited: add a new one ({edited} must stay as they landed)"


def test_a_new_migration_is_added_to_the_list_on_purpose():
    new = sorted({path.name for path in (MIGRATIONS / "versions").glob("*.py")} - set(LANDED))
    assert not new, (f"new migration(s) {new}: once merged they are never edited; add their sha256 to LANDED "
                     f"in {__name__.rsplit('.', 1)[-1]}.py: " + ", ".join(f'"{n}": "{digest(n)}"' for n in new))
