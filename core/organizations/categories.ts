import type { StaffCategory } from '../../generated/prisma/client';

export const STAFF_CATEGORIES: readonly StaffCategory[] = ['DOCTOR', 'NURSE', 'PHARMACIST', 'LAB_TECHNICIAN', 'SANITARY', 'ADMINISTRATOR'];

/**
 * How HR files name the categories of «Категории медицинских работников»: the seed's words, common
 * synonyms (средний медперсонал is nurses, midwives and paramedics), English, or the enum code.
 */
const NAMES: Record<StaffCategory, readonly string[]> = {
  DOCTOR: ['врач', 'врачи', 'doctor', 'physician'],
  NURSE: [
    'медсестра',
    'медицинская сестра',
    'медбрат',
    'медицинский брат',
    'медсестра акушерка',
    'акушерка',
    'акушер',
    'фельдшер',
    'средний медперсонал',
    'средний медицинский персонал',
    'nurse',
    'midwife',
  ],
  PHARMACIST: ['фармацевт', 'провизор', 'pharmacist'],
  LAB_TECHNICIAN: ['лаборант', 'медицинский лаборант', 'лабораторный техник', 'lab technician', 'laboratory technician'],
  SANITARY: ['санитар', 'санитарка', 'санитарный работник', 'младший медперсонал', 'младший медицинский персонал', 'sanitary', 'orderly'],
  ADMINISTRATOR: ['администратор', 'administrator'],
};

function fold(text: string): string {
  return text
    .toLocaleLowerCase('ru')
    .replace(/\u0451/g, '\u0435')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const byName = new Map<string, StaffCategory>();
for (const category of STAFF_CATEGORIES) {
  byName.set(fold(category), category);
  for (const name of NAMES[category]) byName.set(fold(name), category);
}

/** The category a cell names, or null when it names none. */
export function parseCategory(text: string): StaffCategory | null {
  return byName.get(fold(text)) ?? null;
}
