"""``uppsikt model retrain|activate|list``: the classifier's models per tenant, by hand.

Retraining takes seconds of computing per tenant; it reads in one
transaction and writes its outcome in a short one of its own, so webhooks
are never kept waiting for it (SQLite has one writer at a time).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli import _with_session

#: Exit code of ``retrain`` when a new model was measured worse and not activated.
EXIT_REFUSED = 3


def report_lines(candidate: Any) -> list[str]:
    """The short Swedish report of one retraining: what changed, and what happened."""
    from classifiers.learning import TEST_TOLERANCE

    before, after = candidate.comparison.before, candidate.comparison.after
    lines = [
        f"Tenant {candidate.tenant}: modell {candidate.version}, tränad på korpusen och "
        f"{candidate.trained_on} etiketter ({candidate.held_back} undanhållna för mätning), "
        f"jämförd med {candidate.previous}.",
    ]
    if candidate.in_test_split:
        lines.append(
            f"{candidate.in_test_split} av etiketterna tränades inte på: texten finns i testdelen, "
            "som ska förbli osedd."
        )
    if candidate.forms_left_out:
        lines.append(
            f"{candidate.forms_left_out} "
            + ("textvariant" if candidate.forms_left_out == 1 else "textvarianter")
            + " tränades inte på: ordagrant en undanhållen etiketts text eller en kommentar i testdelen."
        )
    lines.append(f"Testdelen ({before.test_comments} kommentarer), F1 per kategori före → efter:")
    for category, old in before.test.items():
        new = after.test[category]
        change = new.f1 - old.f1
        mark = "" if abs(change) < 0.0005 else f"  ({change:+.3f})"
        lines.append(f"  {category:<18} {old.f1:.3f} → {new.f1:.3f}{mark}")
    shipped = candidate.comparison.shipped
    lines.append(
        f"  {'mikro-F1':<18} {before.test_micro_f1:.3f} → {after.test_micro_f1:.3f}"
        + (f"  (den levererade modellen: {shipped.test_micro_f1:.3f})" if shipped is not None else "")
    )
    if after.labels_total:
        lines.append(
            f"Undanhållna etiketter: {before.labels_right} av {before.labels_total} rätt före → "
            f"{after.labels_right} av {after.labels_total} efter."
        )
    else:
        lines.append("Undanhållna etiketter: inga ännu (var femte kommentar hålls undan när de finns).")
    if candidate.accepted:
        lines.append(
            f"Aktiverad: {candidate.version} ersätter {candidate.previous} från arbetarens nästa omgång. "
            f"Ångra med `uppsikt model activate {candidate.previous} --tenant {candidate.tenant}`."
        )
    else:
        lines.append(
            "Inte aktiverad: "
            + "; ".join(candidate.comparison.reasons)
            + f" (tolerans för testdelen {TEST_TOLERANCE}). {candidate.previous} används som förut."
        )
    return lines


def cmd_model_retrain(args: argparse.Namespace) -> int:
    from app.cli import _session_factory, _settings
    from app.db import begin_write, session_scope
    from app.learning import repository, service
    from app.models import Tenant
    from app.tenants.service import require_tenant

    refused = False
    with session_scope(_session_factory(_settings())) as session:
        if args.tenant is not None:
            tenant_ids = [require_tenant(session, args.tenant).id]
        else:
            tenant_ids = repository.tenants_with_labels(session)
            if not tenant_ids:
                print("Ingen tenant har etiketter ännu; det finns inget att träna på.")
                return 0
        for tenant_id in tenant_ids:
            tenant = session.get(Tenant, tenant_id)
            assert tenant is not None
            try:
                candidate = service.train_candidate(session, tenant=tenant)
            except service.NothingToTrainOn as nothing:
                if args.tenant is not None:
                    raise
                # One tenant's labels must not keep the others from being retrained.
                print(f"{nothing.detail} Hoppar över den och går vidare.")
                continue
            begin_write(session)  # ends the read transaction; the write is short
            service.conclude(session, candidate=candidate, actor="cli:model")
            session.commit()
            refused = refused or not candidate.accepted
            print("\n".join(report_lines(candidate)))
    return EXIT_REFUSED if refused else 0


@_with_session
def cmd_model_activate(session: Any, args: argparse.Namespace) -> int:
    from app.db import begin_write
    from app.learning import service
    from app.tenants.service import require_tenant

    begin_write(session)
    tenant = require_tenant(session, args.tenant) if args.tenant else None
    tenant, previous = service.activate(session, version=args.version, tenant=tenant, actor="cli:model")
    print(
        f"Tenant {tenant.name}: modell {args.version} används från arbetarens nästa omgång "
        f"(ersätter {previous})."
    )
    return 0


@_with_session
def cmd_model_list(session: Any, args: argparse.Namespace) -> int:
    from app.learning import repository, service
    from app.models import Tenant
    from app.tenants.service import require_tenant

    if args.tenant:
        chosen: list[Tenant] = [require_tenant(session, args.tenant)]
    else:
        chosen = list(repository.all_tenants(session))
    for tenant in chosen:
        found = repository.models(session, tenant.id)
        in_use = any(m.active for m in found)
        print(f"{tenant.name}:")
        print(f"  {'*' if not in_use else ' '} {service.SHIPPED:<24} den levererade modellen")
        for m in found:
            after = (m.figures or {}).get("after", {})
            held = (
                f", undanhållna {after.get('labels_right')}/{after.get('labels_total')} rätt"
                if after.get("labels_total")
                else ""
            )
            print(
                f"  {'*' if m.active else ' '} {m.version:<24} {m.created_at:%Y-%m-%d %H:%M} "
                f"testdelens mikro-F1 {after.get('test_micro_f1', 0):.3f}{held}  {m.model_version}"
            )
    print("(* = i bruk)")
    return 0


def register_cli(subparsers: Any) -> None:
    model = subparsers.add_parser("model", help="klassificerarens modeller per tenant").add_subparsers(
        dest="action", required=True
    )
    retrain = model.add_parser(
        "retrain",
        help="träna om på korpusen och redaktörernas etiketter; aktiveras bara om inget blir sämre "
        f"(avslutas med {EXIT_REFUSED} när en modell inte aktiverades)",
    )
    retrain.add_argument("--tenant", help="bara den här tenanten (annars var och en som har etiketter)")
    retrain.set_defaults(fn=cmd_model_retrain)

    activate = model.add_parser("activate", help="använd en tidigare modell (eller 'shipped') från nu")
    activate.add_argument("version", help="modellens namn ur `uppsikt model list`, eller shipped")
    activate.add_argument("--tenant", help="tenantens namn (krävs för shipped)")
    activate.set_defaults(fn=cmd_model_activate)

    listing = model.add_parser("list", help="modellerna per tenant och vilken som är i bruk")
    listing.add_argument("--tenant", help="bara den här tenanten")
    listing.set_defaults(fn=cmd_model_list)
