// The words of the class results a spreadsheet opens: the CSV's column headers, in both languages.
import { defineWords } from '../words.ts';

export const resultWords = defineWords({
  en: {
    'csv.table': 'table',
    'csv.game': 'game',
    'csv.scenario': 'scenario',
    'csv.title': 'scenario title',
    'csv.started': 'started',
    'csv.ended': 'ended',
    'csv.duration': 'duration (s)',
    'csv.outcome': 'outcome',
    'csv.failures': 'failures',
    'csv.sent': 'messengers sent',
    'csv.captured': 'messengers captured',
    'csv.decisions': 'decisions or chosen value',
    'csv.seat': 'seat {n}',
    'csv.player': 'player {n}',
    'csv.bot': 'bot',
  },
  zh: {
    'csv.table': '桌',
    'csv.game': '局',
    'csv.scenario': '场景',
    'csv.title': '场景名称',
    'csv.started': '开始',
    'csv.ended': '结束',
    'csv.duration': '时长（秒）',
    'csv.outcome': '结果',
    'csv.failures': '故障',
    'csv.sent': '派出的信使',
    'csv.captured': '被俘的信使',
    'csv.decisions': '决定或选定的值',
    'csv.seat': '座位 {n}',
    'csv.player': '玩家 {n}',
    'csv.bot': '机器人',
  },
});
