import { useEffect, useState } from 'react';
import { elderMode, onElderModeChange, systemFontScale } from '../services/elder';

/** Whether 长辈版 is on (it changes on every open page at once) and the system font factor. */
export function useElderMode(): { on: boolean; scale: number } {
  const [on, setOn] = useState(elderMode);
  useEffect(() => onElderModeChange(setOn), []);
  return { on, scale: systemFontScale() };
}
