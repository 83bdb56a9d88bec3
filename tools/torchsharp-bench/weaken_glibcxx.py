#!/usr/bin/python3
"""Mark one GLIBCXX version requirement of an ELF64 shared library as weak, so an older libstdc++ can load it.

TorchSharp-cpu 0.107.0 ships libLibTorchSharp.so with a requirement on GLIBCXX_3.4.32, which Debian 12's
libstdc++ (GCC 12, up to GLIBCXX_3.4.30) does not define. The only symbol bound to that version is
_ZSt21ios_base_library_initv, and no relocation refers to it, so the dynamic linker never looks it up. This script
sets VER_FLG_WEAK (0x2) in the matching Vernaux entry of .gnu.version_r. With that flag, ld.so of glibc 2.36 loads
the library although the version is missing. The script first checks that no relocation refers to a symbol of that
version. It rejects files inside the NuGet cache or with more than one hard link, so only a build-output copy is
changed. Running it again on a patched file changes nothing.

Usage: python3 weaken_glibcxx.py LIBRARY [--version GLIBCXX_3.4.32] [--needed-file libstdc++.so.6] [--dry-run]
"""

import argparse
import os
import struct
import sys

SHT_RELA = 4
SHT_REL = 9
SHT_DYNSYM = 11
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
VER_FLG_WEAK = 0x2
VERSYM_INDEX_MASK = 0x7FFF

ELF_HEADER = struct.Struct("<16sHHIQQQIHHHHHH")
SECTION_HEADER = struct.Struct("<IIQQQQIIQQ")
VERNEED = struct.Struct("<HHIII")
VERNAUX = struct.Struct("<IHHII")
SYMBOL = struct.Struct("<IBBHQQ")
RELA = struct.Struct("<QQq")
REL = struct.Struct("<QQ")


class ElfError(Exception):
    """Invalid or unsupported input file, or a version requirement that cannot be marked weak safely."""


def read_c_string(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("ascii", errors="replace")


def read_sections(data):
    """Return the section headers of an ELF64 little-endian file as dicts."""
    if data[:4] != b"\x7fELF":
        raise ElfError("invalid ELF file: the magic bytes 7f 45 4c 46 are missing")
    if data[4] != 2 or data[5] != 1:
        raise ElfError(f"only ELF64 little-endian is supported, found class {data[4]} and data encoding {data[5]}")

    header = ELF_HEADER.unpack_from(data, 0)
    section_offset, section_entry_size, section_count = header[6], header[11], header[12]
    if section_offset == 0:
        raise ElfError("the file has no section header table, so .gnu.version_r cannot be found")
    if section_entry_size != SECTION_HEADER.size:
        raise ElfError(f"unexpected section header size {section_entry_size}, expected {SECTION_HEADER.size}")
    if section_count == 0:
        # With 65280 sections or more, e_shnum is 0 and section 0's sh_size contains the real count.
        section_count = SECTION_HEADER.unpack_from(data, section_offset)[5]

    sections = []
    for index in range(section_count):
        fields = SECTION_HEADER.unpack_from(data, section_offset + index * section_entry_size)
        sections.append({"index": index, "type": fields[1], "offset": fields[4], "size": fields[5],
                         "link": fields[6], "info": fields[7], "entsize": fields[9]})
    return sections


def find_vernaux(data, sections, needed_file, version):
    """Return (file offset of the Vernaux entry, its vna_flags, its version index) for version of needed_file."""
    verneed_sections = [section for section in sections if section["type"] == SHT_GNU_VERNEED]
    if not verneed_sections:
        raise ElfError("the file has no .gnu.version_r section, so it requires no symbol versions")
    verneed = verneed_sections[0]
    strings_offset = sections[verneed["link"]]["offset"]

    entry_offset = verneed["offset"]
    for _ in range(verneed["info"]):
        _, aux_count, file_name, aux_offset, next_offset = VERNEED.unpack_from(data, entry_offset)
        if read_c_string(data, strings_offset + file_name) == needed_file:
            aux_position = entry_offset + aux_offset
            for _ in range(aux_count):
                _, flags, version_index, name, aux_next = VERNAUX.unpack_from(data, aux_position)
                if read_c_string(data, strings_offset + name) == version:
                    return aux_position, flags, version_index
                aux_position += aux_next
        if next_offset == 0:
            break
        entry_offset += next_offset
    raise ElfError(f"no requirement on {version} from {needed_file} in .gnu.version_r")


def symbols_with_version(data, sections, version_index):
    """Return {dynamic symbol index: name} for the dynamic symbols bound to version_index."""
    dynsym = next((section for section in sections if section["type"] == SHT_DYNSYM), None)
    versym = next((section for section in sections if section["type"] == SHT_GNU_VERSYM), None)
    if dynsym is None or versym is None:
        raise ElfError("the file has no .dynsym or .gnu.version section")
    strings_offset = sections[dynsym["link"]]["offset"]

    matches = {}
    for index in range(dynsym["size"] // SYMBOL.size):
        (version_entry,) = struct.unpack_from("<H", data, versym["offset"] + 2 * index)
        if version_entry & VERSYM_INDEX_MASK == version_index:
            name_offset = SYMBOL.unpack_from(data, dynsym["offset"] + index * SYMBOL.size)[0]
            matches[index] = read_c_string(data, strings_offset + name_offset)
    return matches


def relocated_symbols(data, sections):
    """Return the set of dynamic symbol indexes that some REL or RELA entry refers to."""
    dynsym_indexes = {section["index"] for section in sections if section["type"] == SHT_DYNSYM}
    referenced = set()
    for section in sections:
        if section["type"] not in (SHT_RELA, SHT_REL) or section["link"] not in dynsym_indexes:
            continue
        layout = RELA if section["type"] == SHT_RELA else REL
        for position in range(section["offset"], section["offset"] + section["size"], layout.size):
            info = layout.unpack_from(data, position)[1]
            referenced.add(info >> 32)
    return referenced


def check_writable_copy(path):
    real_path = os.path.realpath(path)
    if f"{os.sep}.nuget{os.sep}packages{os.sep}" in real_path:
        raise ElfError(f"the file resolves to {real_path}, inside the NuGet cache; "
                       "patch the build-output copy instead")
    if os.stat(real_path).st_nlink > 1:
        raise ElfError(f"the file has {os.stat(real_path).st_nlink} hard links, and patching it would change the "
                       "other links too (one may be the NuGet cache copy); copy it to a file of its own first")


def weaken(path, needed_file, version, dry_run):
    with open(path, "rb") as library:
        data = library.read()
    sections = read_sections(data)
    flags_position, flags, version_index = find_vernaux(data, sections, needed_file, version)
    if flags & VER_FLG_WEAK:
        print(f"{path}: {version} from {needed_file} is already weak, nothing to do")
        return

    bound = symbols_with_version(data, sections, version_index)
    relocated = sorted(bound[index] for index in relocated_symbols(data, sections) if index in bound)
    if relocated:
        raise ElfError(f"relocations refer to {', '.join(relocated)} at {version}, so the dynamic linker would still "
                       "need that version; weakening it would only move the failure to run time")
    symbol_list = ", ".join(sorted(bound.values())) or "none"
    if dry_run:
        print(f"{path}: would mark {version} from {needed_file} weak (symbols at that version: {symbol_list})")
        return

    check_writable_copy(path)
    # vna_flags is the 16-bit field right after the 32-bit vna_hash.
    with open(path, "r+b") as library:
        library.seek(flags_position + 4)
        library.write(struct.pack("<H", flags | VER_FLG_WEAK))
    print(f"{path}: marked {version} from {needed_file} weak (symbols at that version, none relocated: {symbol_list})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("library", help="path of the ELF64 shared library to patch in place")
    parser.add_argument("--version", default="GLIBCXX_3.4.32", help="version requirement to mark weak")
    parser.add_argument("--needed-file", default="libstdc++.so.6", help="library that the requirement names")
    parser.add_argument("--dry-run", action="store_true", help="check and report without writing")
    arguments = parser.parse_args()
    try:
        weaken(arguments.library, arguments.needed_file, arguments.version, arguments.dry_run)
    except (ElfError, OSError, struct.error, ValueError) as error:
        sys.exit(f"weaken_glibcxx.py: {arguments.library}: {error}")


if __name__ == "__main__":
    main()
