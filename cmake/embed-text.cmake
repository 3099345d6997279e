# Turn a text file into a C file defining one NUL-terminated string, so the program carries
# the text (docs/findings.md for --explain) and needs no file at run time.
# Usage: cmake -DIN=file -DOUT=file.c -DSYMBOL=name -P embed-text.cmake
file(READ "${IN}" text)
string(REPLACE "\\" "\\\\" text "${text}")
string(REPLACE "\"" "\\\"" text "${text}")
string(REPLACE "\t" "\\t" text "${text}")
string(REPLACE "\n" "\\n\"\n    \"" text "${text}")
get_filename_component(name "${IN}" NAME)
file(WRITE "${OUT}.tmp"
    "/* Generated from ${name} by cmake/embed-text.cmake: do not edit. */\n"
    "#include <stddef.h>\n\n"
    "extern const char ${SYMBOL}[];\n"
    "const char ${SYMBOL}[] =\n    \"${text}\";\n")
file(RENAME "${OUT}.tmp" "${OUT}")
