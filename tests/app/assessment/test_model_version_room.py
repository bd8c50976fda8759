"""The longest model version the service can make fits where assessments and labels keep it.

A tenant's retrained model puts the tenant's name in the version (``model-<tenant>-<n>-…``)
and a municipality's own model adds ``+remote:<name>``.  On PostgreSQL a version longer
than its column is no assessment at all: the comment's batch fails.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessment.remote import MAX_NAME_CHARS
from app.models import Assessment
from app.models.learning import ClassifierModel
from app.models.tenants import TENANT_NAME_CHARS
from app.modlog.service import record
from classifiers import warm_up
from tests.app.search.helpers import add_comment, flag
from tests.factories import create_account, create_tenant


def longest_model_version(tenant: str) -> str:
    shipped = warm_up()  # uppsikt-classifiers-…+text-rules-…+model-text-linear-<digest>+pii-…
    retrained = shipped.replace("model-text-linear-", f"model-{tenant}-999999-")
    return f"{retrained}+remote:{'n' * MAX_NAME_CHARS}"


def test_the_longest_model_version_and_name_are_kept(session: Session) -> None:
    tenant = create_tenant(session, name="x" * TENANT_NAME_CHARS)
    account = create_account(session, tenant=tenant, external_id="111")
    comment = add_comment(session, account=account, external_id="c1")
    version = longest_model_version(tenant.name)
    assert len(version) > 200  # what the columns held before
    item = flag(session, comment)
    assessment = session.get(Assessment, item.assessment_id)
    assert assessment is not None
    assessment.model_version = version
    session.add(
        ClassifierModel(
            tenant_id=tenant.id,
            version=f"{tenant.name}-999999",
            seq=999999,
            model_version=version,
            sha256="0" * 64,
            artefact=b"{}",
            created_by="test",
        )
    )
    record(
        session,
        tenant_id=tenant.id,
        actor="test",
        action="model.retrain_refused",
        subject_type="classifier_model",
        subject_id=f"{tenant.name}-999999",
        payload={},
    )
    session.commit()
    assert session.scalars(select(Assessment.model_version)).all() == [version]
    assert session.scalars(select(ClassifierModel.model_version)).all() == [version]
