# cmake/embed.cmake: turns data files into a C source at build time, so the
# program never depends on where sohoa is installed (the XSDs of formats/, the
# syllable pairs of ocr/). Run as
#   cmake -DOUT=schemas.c -DNAMES="intake;package" -DDIR=formats/schema
#         -DEXT=xsd -DPREFIX=sohoa_schema_ -P cmake/embed.cmake
# Each NAME.EXT becomes `const char PREFIXNAME[]` (NUL-terminated) and
# `const size_t PREFIXNAME_len` (without the NUL). NAME may hold '-' (made '_').
set(src "/* Generated from ${DIR} by cmake/embed.cmake; do not edit. */\n")
string(APPEND src "#include <stddef.h>\n")
foreach(f IN LISTS NAMES)
  file(READ "${DIR}/${f}.${EXT}" hex HEX)
  string(MAKE_C_IDENTIFIER "${PREFIX}${f}" name)
  string(LENGTH "${hex}" n)
  math(EXPR len "${n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
  string(APPEND src "extern const char ${name}[];\n")
  string(APPEND src "extern const size_t ${name}_len;\n")
  string(APPEND src "const char ${name}[] = {\n${bytes}0x00};\n")
  string(APPEND src "const size_t ${name}_len = ${len};\n")
endforeach()
file(WRITE "${OUT}.tmp" "${src}")
file(RENAME "${OUT}.tmp" "${OUT}")
