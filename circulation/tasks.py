from celery import shared_task


@shared_task(name="circulation.tasks.propose_route_moves")
def propose_route_moves() -> int:
    """Daily: propose the next move of every route whose stage has ended (safe to run twice)."""
    from .services import route_propose_moves

    return route_propose_moves()
