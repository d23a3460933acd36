"""Names vulture cannot see being used: reached by a string, by a library, or by the data.

vulture reads ``companion`` and this file; each name below is used through a path it does
not follow (a class named in a string, an attribute a library reads, a field a JSON page
or a content file fills). Everything else it reports is dead and is deleted, not added here.
This file is never imported.
"""

from typing import Any

_: Any = None

# The app's screens, created by their module's and class's names (``ui.app.lazy_screen``).
_.ExportScreen
_.FlagsScreen
_.GatewayScreen
_.KsbsScreen
_.OtjScreen
_.ProposalScreen
_.SearchScreen
_.UnitsScreen

# Textual reads these attributes of its widgets, screens and app when it draws them.
_.display
_.disabled
_.show_root
_.sub_title
_.cursor_position
_._bindings_ready  # the footer's flag that its keys are ready to draw

# python-docx and openpyxl read these when they write the file.
_.page_height
_.page_width
_.is_linked_to_previous
_.autofit
_.height_rule
_.left_indent
_.first_line_indent
_.alignment
_.border
_.number_format
_.freeze_panes
_.print_title_rows
_.paperSize
_.orientation
_.fitToPage
_.fitToWidth
_.fitToHeight
_.creator

# sqlite3 reads the connection's isolation level; ``__qualname__`` names a screen factory.
_.isolation_level
_.__qualname__

# The content as the handbook and the funding rules give it: read from the content files,
# checked by the content tests, kept whole though no screen shows them yet.
_.quote
_.about
_.conflicts
_.counting
_.tqt
_.grading
_.registration_valid_years
_.outcome_id
_.aim
_.assessment_method
_.guidance_for_delivery
_.suggested_evidence
_.relationship
_.credits

# The signing page's data, read by its script from the JSON the page carries.
_.agrees
_.statement_head
_.statement_text

# Fields of a progress export (``review.export_shape``), read by their keys as strings.
_.pd_ksbs_covered
_.pd_ksbs_total
_.body_error

# The definition of a word that ``count_words`` is tested against.
_.WORD

# What the cache and the clock offer for measuring and pinning them: the files the cache
# actually parsed, and the clock fixed for a block.
_.read_count
_.fixed_clock

# The index row as it was written before the msgspec codec: bench/bench_record_codec.py
# measures the new codec against it.
_.to_row  # notes.record.NoteRecord

# Used only by tests: to be removed together with the tests that use them.
_.is_card  # notes.record.NoteRecord
_.locked_by_me  # portfolio.store.Store
_.history  # portfolio.store.Store
_.set_state  # portfolio.store.Store
