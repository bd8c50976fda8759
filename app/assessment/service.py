"""The classifier the pipeline's ``assess`` stage uses.

``classifiers`` is a pure library (design invariant 6); this is the one place
the service picks its entry point and builds its detectors before the first
comment arrives, so that the first comment is not the slow one.

A tenant may have a retrained model of its own (``app.learning``): the
pipeline names the comment's tenant in the context (``tenant_id``), and
:class:`TenantClassifier` classifies with that tenant's active model, the
shipped one otherwise, and with what the tenant told it about itself (its own
contact details and public officials, ``app.tenants.known_parties``).  The
worker calls :meth:`TenantClassifier.refresh` once per batch: small queries
say which model each tenant uses and what it told about itself, and a model is
loaded from the database only when it changed, so an activation (or a
roll-back, or new contact details) takes effect from the next batch without a
restart.

A municipality's own model (``app.assessment.remote``) receives the whole text
of a comment, personal data included, so it is asked only about the comments
of the tenants named in ``UPPSIKT_REMOTE_MODEL_TENANTS``: one installation may
serve several municipalities, and a comment must not reach another one's server.
The names are looked up with the rest once per batch, so a tenant created after
the start is included from its first batch.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.orm import Session

import classifiers
from app.assessment.remote import RemoteModel, RemoteModelConfig
from app.errors import Unprocessable
from app.learning import repository as learning_repository
from app.learning.service import unpack
from app.logging import get_logger
from app.pipeline import Classify
from app.settings import Settings
from app.tenants import repository as tenant_repository
from app.tenants.known_parties import stored_known_parties

log = get_logger("app.assessment")


class TenantClassifier:
    """``classify(text, context)`` with the model of ``context["tenant_id"]``'s choosing, and
    the municipality's own model (``app.assessment.remote``) for its categories when one is set."""

    def __init__(self, remote: RemoteModel | None = None) -> None:
        self._remote = remote
        #: The ids of the tenants whose comments the endpoint may see (none until the first refresh).
        self._remote_tenants: frozenset[int] = frozenset()
        self._remote_unknown: frozenset[str] = frozenset()
        self._lock = threading.Lock()
        #: tenant id -> (sha256 of its active model, the pipeline built from it)
        self._by_tenant: dict[int, tuple[str, Any]] = {}
        #: sha256 -> pipeline, so a model two tenants share is loaded once
        self._loaded: dict[str, Any] = {}
        #: tenant id -> its own contacts and public officials, as classifier context
        self._known: dict[int, dict[str, Any]] = {}

    def refresh(self, session: Session) -> None:
        """Follow the tenants' active models and known parties (read in the caller's transaction)."""
        self._follow_known_parties(session)
        self._follow_models(session)
        self._follow_remote_tenants(session)

    def _follow_known_parties(self, session: Session) -> None:
        """What each tenant told the classifier about itself (``app.tenants.known_parties``).

        A stored value that no longer validates is logged and skipped: classifying
        without it flags the municipality's own number, which an editor sees;
        stopping would leave every comment unassessed."""
        contexts: dict[int, dict[str, Any]] = {}
        for tenant_id, raw in tenant_repository.known_parties_by_tenant(session).items():
            try:
                context = stored_known_parties(raw).classifier_context()
            except Unprocessable:
                log.warning("assessment.known_parties_invalid", tenant_id=tenant_id)
                continue
            if context:
                contexts[tenant_id] = context
        self._known = contexts

    def _follow_remote_tenants(self, session: Session) -> None:
        """The ids of the tenants named for the endpoint.

        A name that matches no tenant sends nothing and is logged once (not once per
        batch): it may be a typo, or a tenant that is created later."""
        if self._remote is None:
            return
        names = self._remote.config.tenants
        found = {name: tenant_repository.tenant_by_name(session, name) for name in names}
        unknown = frozenset(name for name, tenant in found.items() if tenant is None)
        if unknown and unknown != self._remote_unknown:
            log.warning("assessment.remote_model_tenant_unknown", tenants=sorted(unknown))
        self._remote_unknown = unknown
        self._remote_tenants = frozenset(tenant.id for tenant in found.values() if tenant is not None)

    def _follow_models(self, session: Session) -> None:
        from classifiers.pipeline import pipeline_with_model

        active = learning_repository.active_versions(session)
        current = {tenant_id: sha for tenant_id, (sha, _) in self._by_tenant.items()}
        if current == {tenant_id: sha for tenant_id, (_, sha) in active.items()}:
            return
        chosen: dict[int, tuple[str, Any]] = {}
        for tenant_id, (model_id, sha) in active.items():
            pipeline = self._loaded.get(sha)
            if pipeline is None:
                stored = learning_repository.artefact(session, model_id)
                if stored is None:
                    continue
                pipeline = pipeline_with_model(unpack(stored))
                log.info("assessment.model_loaded", tenant_id=tenant_id, model_version=pipeline.model_version)
            chosen[tenant_id] = (sha, pipeline)
        with self._lock:
            self._by_tenant = chosen
            # Keep only what is in use: a rolled-back model is loaded again if it comes back.
            self._loaded = {sha: pipeline for sha, pipeline in chosen.values()}

    def close(self) -> None:
        """Let go of the endpoint's connections (the worker process calls this on its way out)."""
        if self._remote is not None:
            self._remote.close()

    def __call__(self, text: str, context: dict[str, Any] | None = None) -> Any:
        ctx = dict(context or {})
        tenant_id = ctx.pop("tenant_id", None)
        found = self._by_tenant.get(tenant_id) if isinstance(tenant_id, int) else None
        if isinstance(tenant_id, int):
            for key, value in self._known.get(tenant_id, {}).items():
                ctx.setdefault(key, value)
        assessment = classifiers.classify(text, ctx) if found is None else found[1].classify(text, ctx)
        if self._remote is None or tenant_id not in self._remote_tenants:
            return assessment
        return self._remote.apply(text, assessment, classifiers.explain)


def default_classifier(settings: Settings | None = None) -> Classify:
    """The worker's classifier; with ``settings`` naming an endpoint, the municipality's own
    model decides its categories (a bad endpoint configuration stops the start with one line).

    An endpoint without tenants is checked like any other but never called: until the
    operator names whose comments it may read, it reads nobody's."""
    config = RemoteModelConfig.from_settings(settings) if settings is not None else None
    if config is not None and not config.tenants:
        log.warning("assessment.remote_model_without_tenants", model=config.name)
        config = None
    return TenantClassifier(RemoteModel(config) if config is not None else None)


def warm_up() -> None:
    classifiers.warm_up()
