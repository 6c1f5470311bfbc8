import { Module } from '@nestjs/common';
import { LedgerController } from './ledger.controller';

/** The ledger's reads; the engine writes its rows with the transitions that move money. */
@Module({ controllers: [LedgerController] })
export class LedgerModule {}
