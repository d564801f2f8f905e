//! A JPEG's entropy-coded data walked to its end, without computing a pixel: every Huffman
//! code must be in its table and every block of every scan must be complete before the data
//! runs into a marker.
//!
//! A JPEG is embedded in the PDF as it is, and PDF viewers decode it with libjpeg or its kin,
//! which fill a picture whose data stops short with grey and say "Corrupt JPEG data: premature
//! end of data segment" or "bad Huffman code". zune-jpeg (the decoder used for the rest of the
//! check) fills such a picture silently, even in strict mode, when the data ends on a marker.
//! So the scans are walked here the way libjpeg reads them: sequential scans block by block,
//! progressive scans with their end-of-band runs and the refinement bits that depend on which
//! coefficients earlier scans made non-zero, restart markers where the restart interval puts
//! them. The walk is linear in the file; its memory is one bit mask per block, for progressive
//! files only (a 64-megapixel picture: under 50 MB).

/// Why a JPEG's scans are not whole.
pub(super) type Damage = &'static str;

const PREMATURE: Damage = "its picture data ends too early";
const BAD_CODE: Damage = "its picture data holds codes its tables do not define";
const BAD_TABLE: Damage = "its Huffman tables are damaged";
const BAD_SCAN: Damage = "a scan header is damaged";
const EXTRA: Damage = "its picture data does not fit its size (bytes left over)";
const NO_EOI: Damage = "the file is truncated (no end-of-image marker)";

/// One canonical Huffman table, decoded bit by bit.
#[derive(Clone, Default)]
struct Table {
    /// Largest code of each length (index 1..=16), -1 when none.
    max_code: [i32; 18],
    /// Index into `values` of the first code of each length, minus that code.
    offset: [i32; 17],
    values: Vec<u8>,
    defined: bool,
}

impl Table {
    fn parse(counts: &[u8], values: &[u8]) -> Result<Table, Damage> {
        let mut t = Table {
            max_code: [-1; 18],
            values: values.to_vec(),
            defined: true,
            ..Table::default()
        };
        let mut code: i32 = 0;
        let mut k: i32 = 0;
        for len in 1..=16 {
            let n = i32::from(counts[len - 1]);
            if n > 0 {
                t.offset[len] = k - code;
                code += n;
                k += n;
                if code > (1 << len) {
                    return Err(BAD_TABLE);
                }
                t.max_code[len] = code - 1;
            }
            code <<= 1;
        }
        t.max_code[17] = i32::MAX;
        Ok(t)
    }
}

/// The entropy-coded bytes of one scan, read bit by bit (stuffed zero bytes removed); reading
/// into a marker is the premature end libjpeg warns about.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    byte: u32,
    left: u32,
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<u32, Damage> {
        if self.left == 0 {
            let b = *self.data.get(self.pos).ok_or(NO_EOI)?;
            if b == 0xFF {
                match self.data.get(self.pos + 1) {
                    Some(0x00) => self.pos += 2,
                    Some(_) => return Err(PREMATURE),
                    None => return Err(NO_EOI),
                }
            } else {
                self.pos += 1;
            }
            self.byte = u32::from(b);
            self.left = 8;
        }
        self.left -= 1;
        Ok((self.byte >> self.left) & 1)
    }

    fn bits(&mut self, n: u32) -> Result<u32, Damage> {
        let mut v = 0;
        for _ in 0..n {
            v = (v << 1) | self.bit()?;
        }
        Ok(v)
    }

    fn decode(&mut self, t: &Table) -> Result<u8, Damage> {
        let mut code: i32 = 0;
        for len in 1..=16 {
            code = (code << 1) | self.bit()? as i32;
            if code <= t.max_code[len] {
                let i = (t.offset[len] + code) as usize;
                return t.values.get(i).copied().ok_or(BAD_CODE);
            }
        }
        Err(BAD_CODE)
    }

    /// Drops the rest of the current byte; the position of the marker that must follow (after
    /// fill bytes). Data left before it means the blocks ended early: what libjpeg reports as
    /// "extraneous bytes before marker", and what a damaged scan usually looks like.
    fn seek_marker(&mut self) -> Result<usize, Damage> {
        match self.skip_to_marker()? {
            (at, false) => Ok(at),
            (_, true) => Err(EXTRA),
        }
    }

    /// As [`Bits::seek_marker`], but skipping data left over: the marker's position and whether
    /// anything was skipped.
    fn skip_to_marker(&mut self) -> Result<(usize, bool), Damage> {
        self.left = 0;
        let mut i = self.pos;
        let mut extra = false;
        loop {
            match (self.data.get(i), self.data.get(i + 1)) {
                (Some(0xFF), Some(0xFF)) => i += 1,
                (Some(0xFF), Some(0x00)) => {
                    extra = true;
                    i += 2;
                }
                (Some(0xFF), Some(_)) => return Ok((i, extra)),
                (Some(_), _) => {
                    extra = true;
                    i += 1;
                }
                (None, _) => return Err(NO_EOI),
            }
        }
    }
}

#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: u32,
    v: u32,
}

struct Frame {
    width: u32,
    height: u32,
    progressive: bool,
    comps: Vec<Component>,
    hmax: u32,
    vmax: u32,
    mcux: u32,
    mcuy: u32,
}

impl Frame {
    /// Blocks per row and rows of blocks of component `c`, padded to whole MCUs.
    fn grid(&self, c: usize) -> (u32, u32) {
        (self.mcux * self.comps[c].h, self.mcuy * self.comps[c].v)
    }
}

/// Walks every scan of `bytes` (a JPEG whose frame header was already checked: 8-bit,
/// baseline, extended or progressive, at most 64 megapixels).
pub(super) fn check_scans(bytes: &[u8]) -> Result<(), Damage> {
    let mut dc = vec![Table::default(); 4];
    let mut ac = vec![Table::default(); 4];
    let mut frame: Option<Frame> = None;
    // Non-zero AC coefficients so far, one mask per block (progressive only).
    let mut nonzero: Vec<Vec<u64>> = Vec::new();
    let mut restart = 0u32;
    let mut scans = 0;
    let mut i = 2;
    loop {
        // Fill bytes before a marker are allowed.
        while bytes.get(i) == Some(&0xFF) && bytes.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let (Some(&0xFF), Some(&marker)) = (bytes.get(i), bytes.get(i + 1)) else {
            return Err(NO_EOI);
        };
        if marker == 0xD9 {
            return if scans > 0 { Ok(()) } else { Err(NO_EOI) };
        }
        if matches!(marker, 0xD0..=0xD7 | 0x01) {
            i += 2;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([
            *bytes.get(i + 2).ok_or(NO_EOI)?,
            *bytes.get(i + 3).ok_or(NO_EOI)?,
        ]));
        let seg = bytes.get(i + 4..i + 2 + len).ok_or(NO_EOI)?;
        if len < 2 {
            return Err(BAD_SCAN);
        }
        match marker {
            0xC4 => {
                let mut s = seg;
                while !s.is_empty() {
                    let class_id = s[0];
                    let counts = s.get(1..17).ok_or(BAD_TABLE)?;
                    let n: usize = counts.iter().map(|&c| usize::from(c)).sum();
                    let values = s.get(17..17 + n).ok_or(BAD_TABLE)?;
                    let table = Table::parse(counts, values)?;
                    let id = usize::from(class_id & 0x0F);
                    match class_id >> 4 {
                        0 if id < 4 => dc[id] = table,
                        1 if id < 4 => ac[id] = table,
                        _ => return Err(BAD_TABLE),
                    }
                    s = &s[17 + n..];
                }
            }
            0xC0..=0xC2 => {
                let height = be16(seg, 1)?;
                let width = be16(seg, 3)?;
                let n = usize::from(*seg.get(5).ok_or(BAD_SCAN)?);
                let mut comps = Vec::with_capacity(n);
                for k in 0..n {
                    let c = seg.get(6 + 3 * k..9 + 3 * k).ok_or(BAD_SCAN)?;
                    let (h, v) = (u32::from(c[1] >> 4), u32::from(c[1] & 0x0F));
                    if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
                        return Err(BAD_SCAN);
                    }
                    comps.push(Component { id: c[0], h, v });
                }
                if comps.is_empty() || width == 0 || height == 0 || frame.is_some() {
                    return Err(BAD_SCAN);
                }
                let hmax = comps.iter().map(|c| c.h).max().unwrap_or(1);
                let vmax = comps.iter().map(|c| c.v).max().unwrap_or(1);
                let f = Frame {
                    width,
                    height,
                    progressive: marker == 0xC2,
                    mcux: width.div_ceil(8 * hmax),
                    mcuy: height.div_ceil(8 * vmax),
                    comps,
                    hmax,
                    vmax,
                };
                if f.progressive {
                    nonzero = (0..f.comps.len())
                        .map(|c| {
                            let (w, h) = f.grid(c);
                            vec![0u64; (w * h) as usize]
                        })
                        .collect();
                }
                frame = Some(f);
            }
            0xDD => {
                restart = be16(seg, 0)?;
            }
            0xDA => {
                let f = frame.as_ref().ok_or(BAD_SCAN)?;
                let data_start = i + 2 + len;
                let (end, extra) =
                    scan(bytes, data_start, seg, f, &dc, &ac, restart, &mut nonzero)?;
                // libjpeg stops reading after the last scan, so bytes left over at its end go
                // unnoticed by viewers; before another scan they are reported as corrupt data.
                if extra && bytes.get(end + 1) != Some(&0xD9) {
                    return Err(EXTRA);
                }
                scans += 1;
                i = end;
                continue;
            }
            _ => {}
        }
        i += 2 + len;
    }
}

/// The big-endian 16-bit number at `at` of a segment.
fn be16(seg: &[u8], at: usize) -> Result<u32, Damage> {
    match seg.get(at..at + 2) {
        Some(b) => Ok(u32::from(u16::from_be_bytes([b[0], b[1]]))),
        None => Err(BAD_SCAN),
    }
}

/// Walks one scan whose header is `seg` and whose data starts at `start`; the position of the
/// marker after it, and whether data was left over before that marker.
#[allow(clippy::too_many_arguments)]
fn scan(
    bytes: &[u8],
    start: usize,
    seg: &[u8],
    f: &Frame,
    dc: &[Table],
    ac: &[Table],
    restart: u32,
    nonzero: &mut [Vec<u64>],
) -> Result<(usize, bool), Damage> {
    let ns = usize::from(*seg.first().ok_or(BAD_SCAN)?);
    if ns == 0 || ns > 4 || seg.len() < 1 + 2 * ns + 3 {
        return Err(BAD_SCAN);
    }
    // (frame component index, DC table, AC table)
    let mut members = Vec::with_capacity(ns);
    for k in 0..ns {
        let id = seg[1 + 2 * k];
        let tables = seg[2 + 2 * k];
        let c = f.comps.iter().position(|c| c.id == id).ok_or(BAD_SCAN)?;
        let (td, ta) = (usize::from(tables >> 4), usize::from(tables & 0x0F));
        if td > 3 || ta > 3 {
            return Err(BAD_SCAN);
        }
        members.push((c, td, ta));
    }
    let tail = &seg[1 + 2 * ns..];
    let (ss, se, ah) = (u32::from(tail[0]), u32::from(tail[1]), tail[2] >> 4);
    if f.progressive {
        let valid = if ss == 0 {
            se == 0
        } else {
            ss <= se && se <= 63 && ns == 1
        };
        if !valid {
            return Err(BAD_SCAN);
        }
    } else if ss != 0 || se != 63 || ah != 0 {
        return Err(BAD_SCAN);
    }
    let needs_dc = ss == 0 && ah == 0;
    let needs_ac = se > 0;
    for &(_, td, ta) in &members {
        if (needs_dc && !dc[td].defined) || (needs_ac && !ac[ta].defined) {
            return Err(BAD_TABLE);
        }
    }

    // The blocks of one MCU, as (component, block column, block row) given the MCU's place.
    let interleaved = ns > 1;
    let (mcus_x, mcus_y) = if interleaved {
        (f.mcux, f.mcuy)
    } else {
        let c = &f.comps[members[0].0];
        let w = (f.width * c.h).div_ceil(f.hmax);
        let h = (f.height * c.v).div_ceil(f.vmax);
        (w.div_ceil(8), h.div_ceil(8))
    };
    let mut bits = Bits {
        data: bytes,
        pos: start,
        byte: 0,
        left: 0,
    };
    let mut eobrun = 0u32;
    let total = u64::from(mcus_x) * u64::from(mcus_y);
    let mut done = 0u64;
    for my in 0..mcus_y {
        for mx in 0..mcus_x {
            if restart > 0 && done > 0 && done.is_multiple_of(u64::from(restart)) {
                // A restart marker must come here; the decoder starts afresh after it.
                let m = bits.seek_marker()?;
                if !matches!(bytes[m + 1], 0xD0..=0xD7) {
                    return Err(PREMATURE);
                }
                bits.pos = m + 2;
                eobrun = 0;
            }
            for &(c, td, ta) in &members {
                let comp = f.comps[c];
                let (bw, bh) = if interleaved {
                    (comp.h, comp.v)
                } else {
                    (1, 1)
                };
                for by in 0..bh {
                    for bx in 0..bw {
                        let (col, row) = if interleaved {
                            (mx * comp.h + bx, my * comp.v + by)
                        } else {
                            (mx, my)
                        };
                        if !f.progressive {
                            sequential_block(&mut bits, &dc[td], &ac[ta])?;
                        } else if ss == 0 {
                            if ah == 0 {
                                let s = u32::from(bits.decode(&dc[td])?);
                                bits.bits(s)?;
                            } else {
                                bits.bit()?;
                            }
                        } else {
                            let (gw, _) = f.grid(c);
                            let mask = nonzero[c]
                                .get_mut((row * gw + col) as usize)
                                .ok_or(BAD_SCAN)?;
                            if ah == 0 {
                                ac_first(&mut bits, &ac[ta], ss, se, &mut eobrun, mask)?;
                            } else {
                                ac_refine(&mut bits, &ac[ta], ss, se, &mut eobrun, mask)?;
                            }
                        }
                    }
                }
            }
            done += 1;
        }
    }
    debug_assert_eq!(done, total);
    bits.skip_to_marker()
}

fn sequential_block(bits: &mut Bits, dc: &Table, ac: &Table) -> Result<(), Damage> {
    // libjpeg reads a DC category past 11 (impossible at 8 bits) without complaint.
    let s = u32::from(bits.decode(dc)?);
    bits.bits(s)?;
    let mut k = 1;
    while k < 64 {
        let rs = bits.decode(ac)?;
        let (r, s) = (u32::from(rs >> 4), u32::from(rs & 0x0F));
        if s == 0 {
            if r != 15 {
                break;
            }
            k += 16;
            continue;
        }
        bits.bits(s)?;
        k += r + 1;
    }
    Ok(())
}

fn ac_first(
    bits: &mut Bits,
    ac: &Table,
    ss: u32,
    se: u32,
    eobrun: &mut u32,
    mask: &mut u64,
) -> Result<(), Damage> {
    if *eobrun > 0 {
        *eobrun -= 1;
        return Ok(());
    }
    let mut k = ss;
    while k <= se {
        let rs = bits.decode(ac)?;
        let (r, s) = (u32::from(rs >> 4), u32::from(rs & 0x0F));
        if s == 0 {
            if r < 15 {
                *eobrun = (1 << r) - 1 + bits.bits(r)?;
                break;
            }
            k += 16;
            continue;
        }
        k += r;
        bits.bits(s)?;
        if k < 64 {
            *mask |= 1 << k;
        }
        k += 1;
    }
    Ok(())
}

fn ac_refine(
    bits: &mut Bits,
    ac: &Table,
    ss: u32,
    se: u32,
    eobrun: &mut u32,
    mask: &mut u64,
) -> Result<(), Damage> {
    let mut k = ss;
    if *eobrun == 0 {
        while k <= se {
            let rs = bits.decode(ac)?;
            let (mut r, s) = (i32::from(rs >> 4), u32::from(rs & 0x0F));
            if s != 0 {
                if s != 1 {
                    return Err(BAD_CODE);
                }
                bits.bit()?;
            } else if r != 15 {
                *eobrun = (1 << r) + bits.bits(r as u32)?;
                break;
            }
            while k <= se {
                if *mask & (1 << k) != 0 {
                    bits.bit()?;
                } else {
                    r -= 1;
                    if r < 0 {
                        break;
                    }
                }
                k += 1;
            }
            if s != 0 && k <= 63 {
                *mask |= 1 << k;
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        while k <= se {
            if *mask & (1 << k) != 0 {
                bits.bit()?;
            }
            k += 1;
        }
        *eobrun -= 1;
    }
    Ok(())
}
