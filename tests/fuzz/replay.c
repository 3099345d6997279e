/*
 * Corpus replay driver: the same fuzz target as a plain program, for compilers without
 * libFuzzer and for the `fuzz.replay.<target>` tests. Each argument is a file or a directory
 * whose regular files are each passed once to LLVMFuzzerTestOneInput(). A broken invariant
 * aborts; sanitizer builds report memory errors the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/** Largest input replayed (every target bounds its own interest far below this). */
#define REPLAY_MAX_INPUT (1024 * 1024)

static int replay_file(const char *path, size_t *count)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return 1;
    }
    uint8_t *buf = malloc(REPLAY_MAX_INPUT);
    if (buf == NULL) {
        fclose(f);
        fprintf(stderr, "replay: out of memory\n");
        return 1;
    }
    size_t n = fread(buf, 1, REPLAY_MAX_INPUT, f);
    int bad = ferror(f) != 0;
    fclose(f);
    if (bad) {
        fprintf(stderr, "replay: %s: read error\n", path);
    } else {
        LLVMFuzzerTestOneInput(buf, n);
        (*count)++;
    }
    free(buf);
    return bad;
}

static int replay_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    int bad = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        char path[4096];
        int w = snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        struct stat st;
        if (w < 0 || (size_t)w >= sizeof(path) || stat(path, &st) != 0) {
            fprintf(stderr, "replay: %s/%s: bad path\n", dir, de->d_name);
            bad = 1;
            continue;
        }
        if (S_ISREG(st.st_mode)) {
            bad |= replay_file(path, count);
        }
    }
    closedir(d);
    return bad;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int bad = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            bad = 1;
        } else if (S_ISDIR(st.st_mode)) {
            bad |= replay_dir(argv[i], &count);
        } else {
            bad |= replay_file(argv[i], &count);
        }
    }
    printf("replayed %zu inputs\n", count);
    if (count == 0) {
        fprintf(stderr, "replay: no inputs\n");
        return 1;
    }
    return bad;
}
