"""Creating the schema and the reference rows every database needs."""
from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.models import Base, Region


def ensure_schema(engine: Engine) -> None:
    """Create missing tables and fill the region table from the gazetteer."""
    from db.search import ensure_search_index

    Base.metadata.create_all(engine)
    ensure_search_index(engine)
    with Session(engine) as session:
        if session.scalar(select(func.count()).select_from(Region)):
            return
        seed_regions(session)
        session.commit()


def seed_regions(session: Session) -> None:
    """Insert every gazetteer unit (시도, 시군구, 일반구) so facts can reference them."""
    from etl.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    session.add_all(
        Region(
            code=r.code,
            sido_code=r.sido_code,
            sido=r.sido,
            sigungu=r.sigungu,
            name=r.full_name,
            level=r.level,
            parent_code=r.parent,
        )
        for r in gazetteer.regions.values()
    )
