# formats/embed.cmake: turns the XSD files into a C source at build time, so
# validation never depends on where sohoa is installed. Run as
#   cmake -DOUT=schemas.c -DNAMES="intake;package" -DDIR=formats/schema -P embed.cmake
# Each NAME.xsd becomes `const char sohoa_schema_NAME[]` (NUL-terminated) and
# `const size_t sohoa_schema_NAME_len` (without the NUL).
set(src "/* Generated from the XSDs of formats/schema by formats/embed.cmake; do not edit. */\n")
string(APPEND src "#include <stddef.h>\n")
foreach(name IN LISTS NAMES)
  file(READ "${DIR}/${name}.xsd" hex HEX)
  string(LENGTH "${hex}" n)
  math(EXPR len "${n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "((0x..,){16})" "\\1\n" bytes "${bytes}")
  string(APPEND src "extern const char sohoa_schema_${name}[];\n")
  string(APPEND src "extern const size_t sohoa_schema_${name}_len;\n")
  string(APPEND src "const char sohoa_schema_${name}[] = {\n${bytes}0x00};\n")
  string(APPEND src "const size_t sohoa_schema_${name}_len = ${len};\n")
endforeach()
file(WRITE "${OUT}.tmp" "${src}")
file(RENAME "${OUT}.tmp" "${OUT}")
