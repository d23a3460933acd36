"""The footer rebuilds only when the keys it shows change, and then shows the new state."""

from __future__ import annotations

import pytest
from pilot_support import wait_for
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual.widgets._footer import FooterKey

from companion.widgets.footer import CompanionFooter


class CountingFooter(CompanionFooter):
    composed = 0
    drawn_for: tuple[object, ...] | None = None
    """The keys the last compose drew, as ``bindings_changed`` recorded them."""

    def compose(self) -> ComposeResult:
        CountingFooter.composed += 1
        CountingFooter.drawn_for = self._composed_for
        yield from super().compose()


def _settled(app: App[None]) -> bool:
    """True once the footer has drawn the keys it last decided to show: no rebuild is
    waiting, so the count of rebuilds can be read."""
    footer = app.screen.query_one(CountingFooter)
    return footer._composed_for is not None and CountingFooter.drawn_for == footer._composed_for


class FooterApp(App[None]):
    BINDINGS = [Binding("s", "save", "Save"), Binding("q", "quit", "Quit")]
    can_save = True

    def compose(self) -> ComposeResult:
        yield Button("one", id="one")
        yield Button("two", id="two")
        yield CountingFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "save" and not self.can_save else True

    def action_save(self) -> None:
        return None


def _keys(app: App[None]) -> dict[str, bool]:
    return {key.key: key.has_class("-disabled") for key in app.screen.query(FooterKey)}


async def test_footer_skips_rebuilds_that_would_draw_the_same_keys() -> None:
    CountingFooter.composed, CountingFooter.drawn_for = 0, None
    app = FooterApp()
    async with app.run_test() as pilot:
        # the footer composes on mount and again once the screen's bindings are known:
        # count from when it has drawn what it decided to show, not from the first keys
        await wait_for(pilot, lambda: _settled(app) and _keys(app).get("s") is False)
        settled = CountingFooter.composed
        for _ in range(3):  # focus moves: same bindings, so no rebuild
            await pilot.press("tab")
            await wait_for(pilot, lambda: _settled(app))
        assert CountingFooter.composed == settled

        app.can_save = False  # the save key becomes disabled: the footer must show it
        app.refresh_bindings()
        # the footer recomposes in its own time after the refresh: wait for it, not a pause
        await wait_for(pilot, lambda: _settled(app) and _keys(app).get("s") is True)
        assert CountingFooter.composed == settled + 1


class CompactApp(App[None]):
    BINDINGS = [Binding("s", "save", "Save"), Binding("q", "quit", "Quit")]

    def __init__(self, compact: bool) -> None:
        super().__init__()
        self.start_compact = compact

    def compose(self) -> ComposeResult:
        yield Button("one")
        yield CompanionFooter(compact=self.start_compact)


def _compact_keys(app: App[None]) -> dict[str, bool]:
    return {key.key: key.has_class("-compact") for key in app.screen.query(FooterKey)}


@pytest.mark.parametrize("compact", [False, True])
async def test_keys_take_the_footer_style_and_follow_it(compact: bool) -> None:
    app = CompactApp(compact)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: set(_compact_keys(app)) == {"s", "q", "ctrl+p"})
        assert _compact_keys(app) == {"s": compact, "q": compact, "ctrl+p": True}
        app.screen.query_one(CompanionFooter).compact = not compact
        flipped = {"s": not compact, "q": not compact, "ctrl+p": True}
        await wait_for(pilot, lambda: _compact_keys(app) == flipped)


async def test_new_keys_are_styled_once_not_restyled_as_they_mount(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    restyled: list[str] = []
    original = FooterKey.update_node_styles

    def counting(self: FooterKey, animate: bool = True) -> None:
        restyled.append(self.key)
        original(self, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", counting)
    app = CompactApp(False)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: set(_compact_keys(app)) == {"s", "q", "ctrl+p"})
    assert restyled == []


class ScreensApp(App[None]):
    BINDINGS = [
        Binding("d", "show('dashboard')", "Dashboard"),
        Binding("u", "show('units')", "Units"),
        Binding("s", "save", "Save"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []

    def compose(self) -> ComposeResult:
        yield Button("one")
        yield CompanionFooter()

    def action_show(self, name: str) -> None:
        self.shown.append(name)


async def test_a_narrow_footer_groups_the_screen_keys_and_they_still_work() -> None:
    app = ScreensApp()
    async with app.run_test(size=(80, 24)) as pilot:
        narrow = {"d": "", "u": "", "s": "Save", "ctrl+p": "palette"}
        footer = app.screen.query_one(CompanionFooter)
        await wait_for(
            pilot, lambda: {key.key: key.description for key in footer.query(FooterKey)} == narrow
        )
        labels = [str(label.render()) for label in footer.query("FooterLabel")]
        assert labels == ["screens"]
        await pilot.press("u")
        await wait_for(pilot, lambda: app.shown == ["units"])
        await pilot.resize_terminal(150, 40)
        wide = {"d": "Dashboard", "u": "Units", "s": "Save", "ctrl+p": "palette"}
        await wait_for(
            pilot, lambda: {key.key: key.description for key in footer.query(FooterKey)} == wide
        )


class CrowdedApp(App[None]):
    BINDINGS = [
        Binding("d", "show('dashboard')", "Dashboard"),
        Binding("u", "show('units')", "Units"),
        Binding("a", "add", "Add"),
        Binding("w", "pack", "Review pack"),
        Binding("i", "import", "Import sign-off"),
        Binding("r", "rescan", "Rescan"),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Button("one")
        yield CompanionFooter()


async def test_keys_that_would_not_fit_are_shown_compact_and_all_on_screen() -> None:
    app = CrowdedApp()
    async with app.run_test(size=(80, 24)) as pilot:
        footer = app.screen.query_one(CompanionFooter)

        def laid_out() -> bool:
            keys = list(footer.query(FooterKey))
            return (
                footer.has_class("-compact")
                and len(keys) == 9
                and all(k.has_class("-compact") and k.region.width for k in keys)
            )

        await wait_for(pilot, laid_out)  # the classes, then the layout they bring
        keys = list(footer.query(FooterKey))
        assert footer.has_class("-compact") and all(k.has_class("-compact") for k in keys)
        assert max(k.region.right for k in keys) <= 80
        assert {k.key for k in keys if k.region.width} == {
            "d",
            "u",
            "a",
            "w",
            "i",
            "r",
            "question_mark",
            "q",
            "ctrl+p",
        }
        await pilot.resize_terminal(150, 40)
        await wait_for(pilot, lambda: not footer.has_class("-compact"))
        await wait_for(
            pilot,
            lambda: (
                not any(
                    k.has_class("-compact") for k in footer.query(FooterKey) if k.key != "ctrl+p"
                )
            ),
        )
        keys = list(footer.query(FooterKey))
        assert not footer.has_class("-compact")
        assert not any(k.has_class("-compact") for k in keys if k.key != "ctrl+p")
