import json
from decimal import Decimal

from PySide6.QtCore import Qt

from app.__main__ import main
from app.domain.alerts import Thresholds
from app.domain.money import format_eur
from app.services.cockpit import save_thresholds
from app.domain.wording import days, percent
from app.services.cockpit_view import indicators
from app.services.risk import customer_risk
from tests.cli.test_cli import location
from tests.conftest import TODAY


def shown_dashboard(window, qtbot):
    window.show_screen("dashboard")
    dashboard = window.screens["dashboard"]
    qtbot.waitUntil(lambda: dashboard.figures is not None and dashboard.running is None, timeout=30_000)
    return dashboard


def test_a_refresh_asked_during_a_computation_runs_after_it(ledger, make_window, qtbot):
    window = make_window(ledger)  # opens on the dashboard: a computation starts
    dashboard = window.screens["dashboard"]
    assert dashboard.running is not None
    with ledger.transaction() as s:  # the data changes meanwhile (as an import would)
        save_thresholds(s, Thresholds(dso_target_days=90))
    dashboard.refresh()
    qtbot.waitUntil(lambda: dashboard.running is None and dashboard.figures is not None
                    and dashboard.figures.thresholds.dso_target_days == 90, timeout=30_000)


def test_dashboard_shows_the_figures_of_kpi_json(demo_db, make_window, qtbot, capsys):
    db = demo_db
    assert main(["--db", location(db), "kpi", "--at", TODAY.isoformat(), "--json"]) == 0
    kpi = json.loads(capsys.readouterr().out)
    dashboard = shown_dashboard(make_window(db), qtbot)
    cards = {card.label.text(): card.value.text() for card in dashboard.cards}
    assert cards["Encours clients"] == format_eur(Decimal(kpi["receivables"]))
    assert cards["Dont échu"] == f"{format_eur(Decimal(kpi['overdue']))} ({percent(Decimal(kpi['overdue_rate']))})"
    assert cards["DSO"] == days(Decimal(str(kpi["dso_countback"])))
    model = dashboard.alerts.model()
    shown = [model.index(row).data() for row in range(model.rowCount())]
    assert shown == [alert["text"] for alert in kpi["alerts"]] == dashboard.alerts.texts()
    assert dashboard.left_tabs.tabText(0) == f"Alertes ({len(kpi['alerts'])})"
    assert len(dashboard.to_call.visible_rows()) == 10
    classes = [dashboard.to_call.model().index(row, 3).data() for row in range(10)]
    assert classes == [f"{e.grade} {e.score_change}" for e in dashboard.to_call.visible_rows()]
    assert any(c.split()[1] not in ("=", "") for c in classes)  # the demo's scores moved in four weeks
    names = [dashboard.to_call.model().index(row, 0).data(Qt.ItemDataRole.ToolTipRole) for row in range(10)]
    assert names == [e.name for e in dashboard.to_call.visible_rows()]  # whole, where the column cuts them


def test_clicking_an_alert_opens_the_customer(ledger, make_window, qtbot):
    dashboard = shown_dashboard(make_window(ledger), qtbot)
    row = next(row for row, text in enumerate(dashboard.alerts.texts()) if "Garage Petit" in text)
    rect = dashboard.alerts.visualRect(dashboard.alerts.model().index(row))
    qtbot.mouseClick(dashboard.alerts.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: getattr(dashboard, "dialog", None) is not None and dashboard.dialog.isVisible())
    assert dashboard.dialog.name.text() == "Garage Petit"
    dashboard.dialog.reject()


def test_changing_a_threshold_changes_the_alerts(ledger, make_window, qtbot):
    window = make_window(ledger)
    dashboard = shown_dashboard(window, qtbot)
    assert dashboard.left_tabs.tabText(0) == "Alertes (3)"  # DSO, concentration, Garage Petit's limit
    window.show_screen("settings")
    settings = window.screens["settings"]
    settings.thresholds.boxes["dso_target_days"].setValue(90)  # the ledger's DSO is 83,7 j
    settings.save()
    assert settings.saved.text() == "Enregistré."
    dashboard = shown_dashboard(window, qtbot)
    qtbot.waitUntil(lambda: dashboard.left_tabs.tabText(0) == "Alertes (2)", timeout=30_000)
    assert not any("DSO" in text for text in dashboard.alerts.texts())


def test_the_customer_card_shows_the_score_of_the_dashboard(ledger, make_window, qtbot):
    dashboard = shown_dashboard(make_window(ledger), qtbot)
    petit = next(e for e in dashboard.figures.to_call if e.name == "Garage Petit")
    expected = dashboard.figures.scores[petit.customer_id]
    dashboard.open_customer(petit.customer_id)
    card = dashboard.dialog
    card.tabs.setCurrentWidget(card.risk_tab)
    with ledger.sessions() as s:
        since, before = customer_risk(s, petit.customer_id, TODAY).score_months_ago
    change = expected.points - before
    assert card.risk_tab.headline.text() == (f"Classe {expected.grade} — {expected.points} points de risque sur 100"
                                             f" · +{change} points depuis le {since:%d/%m/%Y}")
    assert change > 0 and card.risk_tab.scores.canvas is not None
    shown = card.risk_tab.factors.visible_rows()
    assert [(f.label, f.points) for f in shown] == [(f.label, f.points) for f in expected.factors]
    # 1 550 owed for a 1 500 limit, no guarantee
    assert "Encours 1\u202f550,00\u00a0€" in card.risk_tab.exposure.text()
    assert "limite de crédit 1\u202f500,00\u00a0€" in card.risk_tab.exposure.text()
    assert card.risk_tab.chart is not None
    card.reject()


def test_typed_stock_and_payables_show_a_working_capital_on_the_dashboard(ledger, make_window, qtbot):
    window = make_window(ledger)
    window.show_screen("settings")
    settings = window.screens["settings"]
    settings.working_capital.fields["stock"].setText("1 000")
    settings.working_capital.fields["supplier_payables"].setText("500")
    settings.save()
    assert settings.saved.text() == "Enregistré."
    dashboard = shown_dashboard(window, qtbot)
    bfr = dict(indicators(dashboard.figures))["BFR (chiffres saisis)"]
    assert bfr.startswith("3\u202f930,00\u00a0€")  # 1 000 + 3 430 owed - 500
    shown = [dashboard.indicators.item(row, 0).text() for row in range(dashboard.indicators.rowCount())]
    assert "BFR (chiffres saisis)" in shown


def test_a_failed_computation_is_said_on_the_screen(ledger, make_window, qtbot, monkeypatch):
    dashboard = shown_dashboard(make_window(ledger), qtbot)

    def broken(session, at, job):
        raise RuntimeError("base indisponible")

    monkeypatch.setattr("app.ui.dashboard.cockpit", broken)
    dashboard.refresh()
    qtbot.waitUntil(lambda: dashboard.running is None and dashboard.problem.isVisible(), timeout=10_000)
    assert "base indisponible" in dashboard.problem.text()
    assert dashboard.figures is not None  # the figures computed before stay on screen


def test_the_cover_alert_and_the_risk_tab_say_the_same_uncovered_amount(ledger, make_window, qtbot):
    """Garage Petit owes 1 550 € under 1 000 € insured at 90 %: 650 € uncovered, on the alert and on the card."""
    from datetime import date

    from sqlalchemy import select

    from app.models import Customer, Guarantee

    with ledger.transaction() as s:
        petit = s.scalar(select(Customer).where(Customer.name == "Garage Petit"))
        s.add(Guarantee(customer=petit, kind="credit_insurance", guarantor="Assureur", amount_cents=100000,
                        percentage=90, valid_to=date(2027, 6, 30)))
    dashboard = shown_dashboard(make_window(ledger), qtbot)
    uncovered = format_eur(Decimal("650"))
    alert = next(a for a in dashboard.figures.alerts if a.kind == "cover")
    assert alert.text.endswith(f" ; {uncovered} non couverts.")
    dashboard.open_customer(alert.customer_id)
    card = dashboard.dialog
    card.tabs.setCurrentWidget(card.risk_tab)
    qtbot.waitUntil(lambda: card.risk_tab.exposure.text() != "", timeout=10_000)
    assert f"couverture {format_eur(Decimal('1000'))} jusqu'au 30/06/2027 ({uncovered} non couverts)" \
        in card.risk_tab.exposure.text()
    cover = next(f for f in card.risk_tab.factors.visible_rows() if f.key == "cover")
    assert cover.detail.startswith(f"{uncovered} non couverts sur")
    card.reject()


def test_thousands_of_alerts_come_a_few_hundred_at_a_time(qtbot):
    """A large ledger's 17 000 alerts: the list lays out its first 200 and shows more each time it is scrolled
    to its end, in their order, up to the last."""
    from app.domain.alerts import Alert
    from app.ui.alerts_list import SHOWN_AT_ONCE, AlertsList

    alerts = [Alert("limit", f"Client {n:05d} dépasse sa limite de crédit de {n} € (encours {n + 5} €).", n + 1)
              for n in range(1234)]
    view = AlertsList()
    qtbot.addWidget(view)
    view.resize(400, 300)
    view.show()
    view.set_alerts(alerts)
    model = view.model()
    assert model.rowCount() == SHOWN_AT_ONCE
    assert model.index(SHOWN_AT_ONCE - 1).data() == alerts[SHOWN_AT_ONCE - 1].text
    while model.rowCount() < len(alerts):
        before = model.rowCount()
        view.scrollToBottom()
        qtbot.waitUntil(lambda: model.rowCount() > before)
    assert [model.index(row).data() for row in range(model.rowCount())] == view.texts() == [a.text for a in alerts]
    with qtbot.waitSignal(view.customer_chosen) as chosen:
        view.clicked.emit(model.index(1233))
    assert chosen.args == [1234]
