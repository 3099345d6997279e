/**
 * @file bulkin.h
 * @brief The input of a bulk run (-f): the names file read as a stream, one shard of it
 * (--shard I/N, --shard-by) and without the names a previous run already wrote
 * (--resume FILE.jsonl). Memory does not grow with the list: names are read one at a time;
 * only --resume keeps 16 bytes per name already done.
 */
#ifndef GLUETRACE_BULKIN_H
#define GLUETRACE_BULKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gluetrace/base/status.h"
#include "gluetrace/engine/trace.h"
#include "gluetrace/model/config.h"

/** Most shards --shard I/N splits a list into. */
#define GT_MAX_SHARDS 65536

/** Labels of the name's end that form its zone for --shard-by zone (example.com. of
 * www.example.com.). */
#define GT_SHARD_ZONE_LABELS 2

/** Longest line of a names file. */
#define GT_MAX_NAMES_LINE 4096

/**
 * The shard key hash of @p name: 64-bit FNV-1a over the ASCII-lower-cased wire form of its
 * last @p labels labels (the whole name when @p labels is 0 or the name has no more). Stable
 * across machines and versions: shards computed anywhere agree.
 */
uint64_t gt_shard_hash(const gt_name *name, unsigned labels);

/**
 * @return whether @p name belongs to shard cfg->shard_index of cfg->shard_count
 *         (gt_shard_hash() keyed by cfg->shard_labels, modulo the count); always true when
 *         cfg->shard_count is 0 (no --shard)
 */
bool gt_bulk_in_shard(const gt_config *cfg, const gt_name *name);

/** A names file being read. */
typedef struct gt_bulk_reader gt_bulk_reader;

/** What a reader has seen so far. */
typedef struct gt_bulk_counts {
    size_t names;   /**< name lines read */
    size_t other;   /**< of those, in other shards */
    size_t done;    /**< of those, in this shard but already done (--resume) */
    size_t given;   /**< names handed out to trace */
    size_t resumed; /**< finished lines found in the --resume file */
    size_t cut;     /**< lines of the --resume file ignored as cut off */
} gt_bulk_counts;

/**
 * Open cfg->names_file ("-" for stdin) for a bulk run, with cfg's shard and --resume file.
 * A regular file is read once to check every line before any name is handed out (a bad line
 * is an error before the first query); stdin is checked line by line as it is read. The
 * --resume file (cfg->resume) is read here: a name counts as done when a "summary" line has
 * its query (name and type) and a main trace that was not interrupted; a line that is not
 * JSON at all (cut off) is ignored; a JSON line that is not a bulk summary is an error. Done
 * names are kept as 128-bit keys (two independent 64-bit hashes).
 * @param[out] out the reader (close with gt_bulk_reader_close()); NULL on error
 * @param[out] err on error the one-line message
 * @return GT_OK; GT_EIO (unreadable), GT_EINVAL (a bad line, no names at all), GT_ENOMEM
 */
gt_status gt_bulk_reader_open(const gt_config *cfg, gt_bulk_reader **out, char *err, size_t errlen);

/**
 * The next name to trace (gt_bulk_next): skips comments, blank lines, other shards' names
 * and names done. @p arg is the gt_bulk_reader.
 * @return GT_OK (with *end set at the end of the input), GT_EINVAL (a bad line in stdin; see
 *         gt_bulk_reader_error()), GT_EIO, GT_ENOMEM
 */
gt_status gt_bulk_reader_next(void *arg, gt_bulk_name *out, bool *end);

/** @return the message of the last error of gt_bulk_reader_next() ("" when none). */
const char *gt_bulk_reader_error(const gt_bulk_reader *r);

/** @param[out] out the counts so far. */
void gt_bulk_reader_counts(const gt_bulk_reader *r, gt_bulk_counts *out);

/** Close the file and free everything; NULL accepted. */
void gt_bulk_reader_close(gt_bulk_reader *r);

#endif
