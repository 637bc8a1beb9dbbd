"""FastAPI dependencies shared by the JSON API and the HTML pages."""

from typing import Annotated

from fastapi import Depends
from sqlmodel import Session

from agentic_shop.db.engine import get_session
from agentic_shop.embeddings import Embedder, get_embedder
from agentic_shop.settings import Settings, get_settings

SessionDep = Annotated[Session, Depends(get_session)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
