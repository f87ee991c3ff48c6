#include "controller/agent/gzip_inflater.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

namespace cellar::agent {
namespace {

using ::testing::HasSubstr;

// `text` as one gzip member, as pg_dump --format=plain --compress writes it.
std::string gzip(const std::string& text) {
  z_stream stream = {};
  EXPECT_EQ(deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&stream, text.size()) + 64, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

// Many lines of SQL, large enough to need several output buffers.
std::string sample_sql() {
  std::string sql;
  for (int i = 0; i < 200000; ++i) sql += "INSERT INTO t VALUES (" + std::to_string(i) + ");\n";
  return sql;
}

std::string inflate_in_pieces(const std::string& compressed, size_t piece, std::string* error) {
  GzipInflater inflater;
  std::string out;
  for (size_t at = 0; at < compressed.size() && error->empty(); at += piece) {
    *error =
        inflater.inflate(compressed.data() + at, std::min(piece, compressed.size() - at), &out);
  }
  if (error->empty()) *error = inflater.finish();
  return out;
}

TEST(GzipInflaterTest, TellsGzipFromSqlAndFromACustomArchive) {
  std::string compressed = gzip("SELECT 1;\n");
  EXPECT_TRUE(looks_like_gzip(compressed.data(), compressed.size()));
  EXPECT_FALSE(looks_like_gzip("--\n-- PostgreSQL database dump\n", 30));
  EXPECT_FALSE(looks_like_gzip("PGDMP", 5));
  EXPECT_FALSE(looks_like_gzip("\x1f", 1));  // too short to tell
}

TEST(GzipInflaterTest, InflatesWhateverTheSizeOfThePieces) {
  const std::string sql = sample_sql();
  const std::string compressed = gzip(sql);
  for (size_t piece : {size_t{1}, size_t{7}, size_t{4096}, compressed.size()}) {
    std::string error;
    EXPECT_EQ(inflate_in_pieces(compressed, piece, &error), sql) << "pieces of " << piece;
    EXPECT_EQ(error, "");
  }
}

TEST(GzipInflaterTest, ConcatenatedMembersInflateAsOne) {
  std::string error;
  EXPECT_EQ(inflate_in_pieces(gzip("SELECT 1;\n") + gzip("SELECT 2;\n"), 5, &error),
            "SELECT 1;\nSELECT 2;\n");
  EXPECT_EQ(error, "");
}

TEST(GzipInflaterTest, ACutStreamIsAnError) {
  std::string compressed = gzip(sample_sql());
  std::string error;
  inflate_in_pieces(compressed.substr(0, compressed.size() / 2), 4096, &error);
  EXPECT_THAT(error, HasSubstr("ends in the middle"));
}

TEST(GzipInflaterTest, DamagedDataIsAnError) {
  std::string compressed = gzip(sample_sql());
  for (size_t i = 20; i < 60; ++i) compressed[i] = static_cast<char>(~compressed[i]);
  std::string error;
  inflate_in_pieces(compressed, 4096, &error);
  EXPECT_THAT(error, HasSubstr("damaged"));
}

}  // namespace
}  // namespace cellar::agent
