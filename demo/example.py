def cosine_similarity(a: list[float], b: list[float]) -> float:
    """Cosine of the angle between two embedding vectors."""
    dot = sum(x * y for x, y in zip(a, b))
    norm_a = sum(x * x for x in a) ** 0.5
    norm_b = sum(y * y for y in b) ** 0.5
    return dot / (norm_a * norm_b) if norm_a and norm_b else 0.0


if __name__ == "__main__":
    print(cosine_similarity([1.0, 2.0, 3.0], [2.0, 4.0, 6.5]))
