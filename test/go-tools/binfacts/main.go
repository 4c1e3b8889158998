// Command binfacts prints what Go's own debug/macho and debug/pe readers see in a Mach-O, universal
// Mach-O or PE file, as JSON. gokiln's tests compare their TypeScript readers against it: an
// independent implementation of the same formats, shipped with every Go toolchain.
package main

import (
	"bytes"
	"debug/macho"
	"debug/pe"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type machoSection struct {
	Name   string `json:"name"`
	Seg    string `json:"seg"`
	Addr   uint64 `json:"addr"`
	Size   uint64 `json:"size"`
	Offset uint32 `json:"offset"`
	Flags  uint32 `json:"flags"`
}

type machoSegment struct {
	Name     string `json:"name"`
	Addr     uint64 `json:"addr"`
	Memsz    uint64 `json:"memsz"`
	Offset   uint64 `json:"offset"`
	Filesz   uint64 `json:"filesz"`
	Initprot uint32 `json:"initprot"`
}

type machoSym struct {
	Name  string `json:"name"`
	Type  uint8  `json:"type"`
	Sect  uint8  `json:"sect"`
	Value uint64 `json:"value"`
}

type machoFacts struct {
	Cpu       uint32         `json:"cpu"`
	SubCpu    uint32         `json:"subcpu"`
	Type      uint32         `json:"type"`
	Magic     uint32         `json:"magic"`
	Ncmd      uint32         `json:"ncmd"`
	Sections  []machoSection `json:"sections"`
	Segments  []machoSegment `json:"segments"`
	Libs      []string       `json:"libs"`
	Rpaths    []string       `json:"rpaths"`
	HasSymtab bool           `json:"hasSymtab"`
	Dysymtab  []uint32       `json:"dysymtab"`
	Symbols   []machoSym     `json:"symbols"`
	// decoded here from the raw load commands debug/macho leaves uninterpreted
	EntryOff *uint64 `json:"entryoff"`
	ThreadPc *uint64 `json:"threadPc"`
	UUID     string  `json:"uuid"`
	Dylinker string  `json:"dylinker"`
	Platform *uint32 `json:"platform"`
	MinOs    *uint32 `json:"minos"`
}

type fatArch struct {
	Cpu    uint32     `json:"cpu"`
	Offset uint32     `json:"offset"`
	Size   uint32     `json:"size"`
	Macho  machoFacts `json:"macho"`
}

type peSection struct {
	Name            string `json:"name"`
	VirtualAddress  uint32 `json:"va"`
	VirtualSize     uint32 `json:"vsize"`
	Size            uint32 `json:"size"`
	Offset          uint32 `json:"offset"`
	Characteristics uint32 `json:"characteristics"`
}

type peSym struct {
	Name          string `json:"name"`
	Value         uint32 `json:"value"`
	SectionNumber int16  `json:"section"`
	StorageClass  uint8  `json:"class"`
}

type peFacts struct {
	Machine         uint16      `json:"machine"`
	Characteristics uint16      `json:"characteristics"`
	Pe32Plus        bool        `json:"pe32plus"`
	ImageBase       uint64      `json:"imageBase"`
	Entry           uint32      `json:"entryRva"`
	Subsystem       uint16      `json:"subsystem"`
	Sections        []peSection `json:"sections"`
	Libs            []string    `json:"libs"`
	Symbols         []peSym     `json:"symbols"`
}

type facts struct {
	Kind  string      `json:"kind"`
	Macho *machoFacts `json:"macho,omitempty"`
	Fat   []fatArch   `json:"fat,omitempty"`
	Pe    *peFacts    `json:"pe,omitempty"`
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "binfacts:", err)
	os.Exit(1)
}

func machoOf(f *macho.File) machoFacts {
	m := machoFacts{Cpu: uint32(f.Cpu), SubCpu: f.SubCpu, Type: uint32(f.Type), Magic: f.Magic, Ncmd: f.Ncmd}
	m.Sections = []machoSection{}
	for _, s := range f.Sections {
		m.Sections = append(m.Sections, machoSection{s.Name, s.Seg, s.Addr, s.Size, s.Offset, s.Flags})
	}
	m.Segments = []machoSegment{}
	m.Rpaths = []string{}
	for _, l := range f.Loads {
		switch v := l.(type) {
		case *macho.Segment:
			m.Segments = append(m.Segments, machoSegment{v.Name, v.Addr, v.Memsz, v.Offset, v.Filesz, v.Prot})
		case *macho.Dysymtab:
			m.Dysymtab = []uint32{v.Nlocalsym, v.Nextdefsym, v.Nundefsym}
		case *macho.Rpath:
			m.Rpaths = append(m.Rpaths, v.Path)
		}
		raw := l.Raw()
		if len(raw) < 8 {
			continue
		}
		bo := f.ByteOrder
		switch bo.Uint32(raw) {
		case 0x80000028: // LC_MAIN
			e := bo.Uint64(raw[8:])
			m.EntryOff = &e
		case 0x5: // LC_UNIXTHREAD: flavor, count, then the register state
			flavor := bo.Uint32(raw[8:])
			switch {
			case f.Cpu == macho.CpuAmd64 && flavor == 4: // x86_THREAD_STATE64, rip is register 16
				pc := bo.Uint64(raw[16+16*8:])
				m.ThreadPc = &pc
			case f.Cpu == macho.CpuArm64 && flavor == 6: // ARM_THREAD_STATE64, pc follows x0-x28, fp, lr, sp
				pc := bo.Uint64(raw[16+32*8:])
				m.ThreadPc = &pc
			}
		case 0x1b: // LC_UUID
			m.UUID = hex.EncodeToString(raw[8:24])
		case 0xe: // LC_LOAD_DYLINKER
			off := bo.Uint32(raw[8:])
			s := raw[off:]
			if i := bytes.IndexByte(s, 0); i >= 0 {
				s = s[:i]
			}
			m.Dylinker = string(s)
		case 0x32: // LC_BUILD_VERSION
			p, v := bo.Uint32(raw[8:]), bo.Uint32(raw[12:])
			m.Platform, m.MinOs = &p, &v
		case 0x24: // LC_VERSION_MIN_MACOSX
			v := bo.Uint32(raw[8:])
			m.MinOs = &v
		}
	}
	libs, err := f.ImportedLibraries()
	if err != nil {
		fail(err)
	}
	m.Libs = append([]string{}, libs...)
	m.Symbols = []machoSym{}
	if f.Symtab != nil {
		m.HasSymtab = true
		for _, s := range f.Symtab.Syms {
			if s.Type&0xe0 != 0 { // N_STAB
				continue
			}
			m.Symbols = append(m.Symbols, machoSym{s.Name, s.Type, s.Sect, s.Value})
		}
	}
	return m
}

func main() {
	if len(os.Args) != 2 {
		fail(fmt.Errorf("usage: binfacts FILE"))
	}
	path := os.Args[1]
	var out facts
	if ff, err := macho.OpenFat(path); err == nil {
		out.Kind = "fat"
		for _, a := range ff.Arches {
			out.Fat = append(out.Fat, fatArch{uint32(a.Cpu), a.Offset, a.Size, machoOf(a.File)})
		}
	} else if mf, err := macho.Open(path); err == nil {
		out.Kind = "macho"
		m := machoOf(mf)
		out.Macho = &m
	} else if pf, err := pe.Open(path); err == nil {
		out.Kind = "pe"
		p := peFacts{Machine: pf.Machine, Characteristics: pf.Characteristics}
		switch oh := pf.OptionalHeader.(type) {
		case *pe.OptionalHeader32:
			p.ImageBase, p.Entry, p.Subsystem = uint64(oh.ImageBase), oh.AddressOfEntryPoint, oh.Subsystem
		case *pe.OptionalHeader64:
			p.Pe32Plus = true
			p.ImageBase, p.Entry, p.Subsystem = oh.ImageBase, oh.AddressOfEntryPoint, oh.Subsystem
		}
		p.Sections = []peSection{}
		for _, s := range pf.Sections {
			p.Sections = append(p.Sections, peSection{s.Name, s.VirtualAddress, s.VirtualSize, s.Size, s.Offset, s.Characteristics})
		}
		// debug/pe's ImportedLibraries is a stub that returns nothing; the DLL names come with each
		// imported symbol instead ("Sleep:kernel32.dll").
		syms, err := pf.ImportedSymbols()
		if err != nil {
			fail(err)
		}
		p.Libs = []string{}
		seen := map[string]bool{}
		for _, s := range syms {
			if i := strings.LastIndexByte(s, ':'); i >= 0 && !seen[s[i+1:]] {
				seen[s[i+1:]] = true
				p.Libs = append(p.Libs, s[i+1:])
			}
		}
		p.Symbols = []peSym{}
		for _, s := range pf.Symbols {
			p.Symbols = append(p.Symbols, peSym{s.Name, s.Value, s.SectionNumber, s.StorageClass})
		}
		out.Pe = &p
	} else {
		fail(fmt.Errorf("%s: not Mach-O, universal Mach-O or PE", path))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}
