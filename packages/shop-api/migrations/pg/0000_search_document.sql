-- Full-text search on PostgreSQL: the searchable document of a product. A GIN index over this
-- function (migration 0001) answers `products_document(name, description) @@ to_tsquery(...)`.
-- 'simple' does no stemming and diacritics are stripped, like SQLite's FTS5 unicode61 tokenizer
-- with remove_diacritics, so both dialects find the same products. Name words weigh more (A) than
-- description words (B), so that relevance ranks a name match first. IMMUTABLE: an index needs it.
CREATE FUNCTION products_document(name text, description text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT setweight(to_tsvector('simple', regexp_replace(normalize(name, NFD), '[\u0300-\u036f]', '', 'g')), 'A')
      || setweight(to_tsvector('simple', regexp_replace(normalize(description, NFD), '[\u0300-\u036f]', '', 'g')), 'B')
$$;
