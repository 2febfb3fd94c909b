"""Product descriptions written by an LLM, stored with SQLAlchemy."""

import openai
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import create_async_engine

client = openai.OpenAI()
engine = create_engine("sqlite:///shop.db")

async_client = openai.AsyncOpenAI()
async_engine = create_async_engine("sqlite+aiosqlite:///shop.db")


async def describe(product: str) -> str:
    answer = client.chat.completions.create(
        model="gpt-5-mini", messages=[{"role": "user", "content": f"Describe {product} in one line."}]
    )
    with engine.begin() as connection:
        connection.execute(text("UPDATE products SET blurb = :blurb"), {"blurb": answer.choices[0].message.content})
    return answer.choices[0].message.content


async def describe_without_blocking(product: str) -> str:
    answer = await async_client.chat.completions.create(
        model="gpt-5-mini", messages=[{"role": "user", "content": f"Describe {product} in one line."}]
    )
    async with async_engine.begin() as connection:
        await connection.execute(text("UPDATE products SET blurb = :blurb"), {"blurb": answer.choices[0].message.content})
    return answer.choices[0].message.content
