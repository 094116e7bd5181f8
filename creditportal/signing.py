"""Documents signed by their department (issue 22): a PAdES signature on every issued PDF, checked before service and
on the public verification page.

One interface: ``signer()`` returns the deployment's ``DOCUMENT_SIGNER``, an object with ``sign(content, *,
department, reason)`` and ``check(content)``. The one shipped, ``PyHankoSigner``, signs with pyHanko (PAdES baseline,
SHA-256) using the department's certificate and key under ``SIGNING_DIR``, and validates against the trust roots
there. A deployment that uses the national electronic seal (GB/T 38540, SM2, its seal server or a hardware module)
names its own class instead; nothing else changes.

``SIGNING_DIR`` holds ``trust/*.pem`` (the roots a signature must chain to) and ``departments/<code>.pem`` with
``<code>.key.pem`` (each department's certificate and key). In the demo and the tests (``SIGNING_DEMO_CA``) a
department without a certificate gets one at its first document, issued by a demo root made on first use; in
production a department without one has its documents stored unsigned, and they are not served electronically
until it has one (``manage.py signing_certificates`` issues them from the demo root, for trying the product only).
"""

from __future__ import annotations

import asyncio
import datetime
import functools
import io
import logging
import os
import re
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

#: The signature field every document's seal is in: the checks read this one, not whichever field comes first.
FIELD_NAME = "DepartmentSeal"


def _outside_event_loop(fn, /, *args, **kwargs):
    """Call ``fn`` where it may start its own event loop: pyHanko's synchronous calls run one with ``asyncio.run``,
    which a thread already running a loop refuses (an ASGI server's, or a browser test driver's); there, ``fn`` runs in
    a thread of its own and this one waits for it."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


@dataclass(frozen=True)
class SignatureCheck:
    """What a signature check found in a PDF: whether it is signed, the signed bytes unchanged (``intact``), the whole
    file covered (nothing added after signing), the certificate chaining to a trust root, and whose and when."""

    signed: bool
    intact: bool = False
    whole_file: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: datetime.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.whole_file and self.trusted


class PyHankoSigner:
    """PAdES signatures with pyHanko, one certificate per department, validated against ``SIGNING_DIR/trust``."""

    _lock = threading.Lock()

    def __init__(self, directory: str | os.PathLike | None = None):
        self.directory = Path(directory or settings.SIGNING_DIR)

    # --- files ---------------------------------------------------------------------------------------------------
    def _paths(self, department) -> tuple[Path, Path]:
        code = re.sub(r"[^A-Za-z0-9_.-]", "_", department.code) or str(department.pk)
        folder = self.directory / "departments"
        return folder / f"{code}.pem", folder / f"{code}.key.pem"

    def has_certificate(self, department) -> bool:
        certificate, key = self._paths(department)
        return certificate.exists() and key.exists()

    def _trust_roots(self):
        from asn1crypto import pem, x509

        roots = []
        for path in sorted((self.directory / "trust").glob("*.pem")):
            for _type, _headers, der in pem.unarmor(path.read_bytes(), multiple=True):
                roots.append(x509.Certificate.load(der))
        return roots

    # --- the interface -------------------------------------------------------------------------------------------
    def sign(self, content: bytes, *, department, reason: str) -> bytes | None:
        """``content`` with the department's PAdES signature over the whole file, or None when the department has no
        certificate (and the demo root may not issue one)."""
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        if not self.has_certificate(department):
            if not settings.SIGNING_DEMO_CA:
                logger.warning("Department %s has no signing certificate: its document is stored unsigned", department)
                return None
            demo_certificate_issue(department, directory=self.directory)
        signer = self._signer(department)
        writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
        metadata = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason[:200],
            name=department.name,
        )
        return _outside_event_loop(signers.sign_pdf, writer, metadata, signer=signer).getvalue()

    def _signer(self, department):
        from pyhanko.sign import signers

        certificate, key = self._paths(department)
        return signers.SimpleSigner.load(
            str(key),
            str(certificate),
            ca_chain_files=[str(p) for p in sorted((self.directory / "trust").glob("*.pem"))],
        )

    def check(self, content: bytes) -> SignatureCheck:
        """Validate the department's signature in ``content`` (pyHanko's validator, against the trust roots)."""
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext

        try:
            reader = PdfFileReader(io.BytesIO(content), strict=False)
            signatures = [s for s in reader.embedded_signatures if s.field_name == FIELD_NAME]
        except Exception:  # noqa: BLE001 -- anyone's file: a PDF that cannot be read (a broken stream, a bad
            # object, zlib's or the parser's own errors) carries no signature to check; never an error page
            logger.info("A PDF to check could not be read", exc_info=True)
            return SignatureCheck(signed=False)
        if not signatures:
            return SignatureCheck(signed=False)
        embedded = signatures[-1]
        try:
            status = _outside_event_loop(
                validate_pdf_signature, embedded, ValidationContext(trust_roots=self._trust_roots())
            )
        except Exception:  # a malformed signature is not a valid one; what broke is logged for the administrator
            logger.warning("A signature could not be validated", exc_info=True)
            return SignatureCheck(signed=True)
        return SignatureCheck(
            signed=True,
            intact=bool(status.intact and status.valid),
            whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
            trusted=bool(status.trusted),
            signer=status.signing_cert.subject.native.get("common_name", ""),
            signed_at=status.signer_reported_dt,
        )


@functools.cache
def _signer_class(path: str):
    return import_string(path)


def signer():
    """The deployment's document signer (``DOCUMENT_SIGNER``)."""
    return _signer_class(settings.DOCUMENT_SIGNER)()


# --- the demo root ---------------------------------------------------------------------------------------------------
def _name(common_name: str):
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "creditportal demo"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write atomically (a reader never sees half a key), a key readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent)
    try:
        if private:
            os.chmod(temporary, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_pair(certificate_path: Path, certificate, key_path: Path, key) -> None:
    """A certificate and its key as PEM files, the key first (a certificate is never there without its key)."""
    from cryptography.hazmat.primitives import serialization

    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    _write(key_path, pkcs8, private=True)
    _write(certificate_path, certificate.public_bytes(serialization.Encoding.PEM))


def _usage(*, signing: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def _demo_root(directory: Path):
    """The demo root's certificate and key, made on first use (``trust/demo-root.pem``; its key beside the trust
    folder, never in it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    certificate_path, key_path = directory / "trust" / "demo-root.pem", directory / "demo-root.key.pem"
    if certificate_path.exists() and key_path.exists():
        return (
            x509.load_pem_x509_certificate(certificate_path.read_bytes()),
            serialization.load_pem_private_key(key_path.read_bytes(), password=None),
        )
    key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    name = _name("creditportal 演示电子签章根证书")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=20 * 366))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_pair(certificate_path, certificate, key_path, key)
    return certificate, key


def demo_certificate_issue(department, *, directory: Path | None = None, years: int = 10) -> Path:
    """Issue ``department`` a signing certificate from the demo root (for the demo and the tests: a deployment uses
    its certification authority's). Idempotent: a department that has one keeps it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec

    directory = Path(directory or settings.SIGNING_DIR)
    with PyHankoSigner._lock:
        instance = PyHankoSigner(directory)
        certificate_path, key_path = instance._paths(department)
        if instance.has_certificate(department):
            return certificate_path
        root, root_key = _demo_root(directory)
        key = ec.generate_private_key(ec.SECP256R1())
        now = timezone.now()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(department.name))
            .issuer_name(root.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=years * 366))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(signing=True), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )
        _write_pair(certificate_path, certificate, key_path, key)
    return certificate_path
