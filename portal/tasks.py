from celery import shared_task


@shared_task(name="portal.signin_code_mail")
def signin_code_mail_task(code_id: int) -> bool:
    """Make and mail a portal sign-in code (``portal.services.signin_code_mail``)."""
    from .services import signin_code_mail

    return signin_code_mail(code_id)
